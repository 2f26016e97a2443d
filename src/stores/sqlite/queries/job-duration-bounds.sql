SELECT le_ms FROM job_duration_bounds ORDER BY le_ms;
