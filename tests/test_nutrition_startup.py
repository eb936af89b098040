"""The ingredient parser's model is loaded when a web worker starts, not by the first request."""

import os
import subprocess
import sys

LOADED_AFTER_IMPORT = (
    "import config.wsgi\n"
    "from ingredient_parser.en._loaders import load_parser_model\n"
    "print(load_parser_model.cache_info().currsize)\n"
)


def test_importing_the_wsgi_application_loads_the_parser_model():
    result = subprocess.run([sys.executable, "-c", LOADED_AFTER_IMPORT], capture_output=True, text=True, timeout=120,
                            env={**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "1"
