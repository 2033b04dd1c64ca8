"""Safe, typed clients for sending and scheduling email campaigns."""
