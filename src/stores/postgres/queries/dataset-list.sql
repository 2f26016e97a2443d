-- Newest first.
SELECT * FROM datasets ORDER BY seq DESC;
