"""Running workers in production: the supervisor of worker processes, health and metrics endpoints, logs."""
