-- forget: workers silent since :before leave the registry (a SIGKILLed worker never says it stopped).
DELETE FROM workers WHERE last_heartbeat_at < :before;
