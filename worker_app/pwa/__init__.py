"""In the pocket: the web app manifest, the service worker and what it keeps for offline use."""
