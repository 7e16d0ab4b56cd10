"""Suite-wide setup: Qt runs without a display, and without a sound card.

Read-aloud uses Qt's own "mock" text-to-speech engine in tests: it keeps the
voices and states of a real engine but makes no sound. (The speech-dispatcher
engine needs a running speech daemon and audio output, which CI does not have.)
"""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("KIOSK_SPEECH_ENGINE", "mock")
