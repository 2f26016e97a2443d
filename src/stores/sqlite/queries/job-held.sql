-- lost: is this lease still held? No row = the job was cancelled, rescued, superseded or deleted.
SELECT id FROM jobs WHERE id = :jobId AND lease_token = :leaseToken AND status = 'running';
