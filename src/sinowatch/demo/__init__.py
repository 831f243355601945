"""The bundled offline sample site and the loopback server that serves it."""
