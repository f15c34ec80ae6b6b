"""HTTP routers of the app, one module per topic."""
