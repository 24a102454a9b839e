import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
READ = re.compile(r'env_(?:str|bool|int|list)\(\s*"([A-Z_]+)"')


def test_readme_documents_every_setting_read_from_the_environment():
    names = set(READ.findall((ROOT / "bedside" / "settings.py").read_text()))
    table = (ROOT / "README.md").read_text().split("## Settings", 1)[1]
    documented = set(re.findall(r"^\| `([A-Z_]+)` \|", table, flags=re.MULTILINE))

    assert len(names) > 20
    assert names - documented == set()
    assert documented - names == set()
