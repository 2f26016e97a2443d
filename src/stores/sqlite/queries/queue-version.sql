-- The change counter the API builds its ETag from (bumped by the jobs triggers).
SELECT version FROM queue_meta WHERE id = 1;
