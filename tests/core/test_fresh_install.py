import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_fresh_clone_migrates_into_a_var_folder_it_creates(tmp_path):
    var = tmp_path / "fresh" / "var"
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env |= {"BEDSIDE_VAR_DIR": str(var), "DJANGO_SETTINGS_MODULE": "bedside.settings"}
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (var / "bedside.sqlite3").is_file()
