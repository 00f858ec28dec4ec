"""Fixtures shared by unit and browser tests."""

import pytest

from dashboard.data import load_dataset


@pytest.fixture(scope="session")
def dataset():
    """The shipped dataset, loaded strictly once."""
    return load_dataset()
