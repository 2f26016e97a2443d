-- watch: how many cancels so far; a change since the last look means "check your leases".
SELECT cancels FROM queue_meta WHERE id = 1;
