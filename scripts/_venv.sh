# Shared by scripts/run and scripts/test: make .venv and install a requirements file into it.
as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

ensure_venv() {
    if [ ! -x .venv/bin/python ]; then
        # Debian's python3 needs python3-venv to make a virtual environment.
        python3 -m venv .venv 2>/dev/null || {
            as_root apt-get update -qq
            as_root apt-get install -y -qq python3-venv
            python3 -m venv .venv
        }
    fi
    .venv/bin/python -m pip install -q --disable-pip-version-check -r "$1"
}
