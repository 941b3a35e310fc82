import sys
from pathlib import Path

# readers_build.py: builders for the container files these tests write.
sys.path.insert(0, str(Path(__file__).resolve().parent))
