"""Fixtures shared by unit and browser tests."""

import pytest

from dashboard.data import load_dataset


@pytest.fixture(scope="session")
def dataset():
    """The shipped dataset, loaded strictly once."""
    return load_dataset()


def every_event(dataset):
    """Every event of a dataset as ``Event`` objects (fine for the small shipped data)."""
    return dataset.events.events(range(len(dataset.events)))


@pytest.fixture(scope="session")
def events(dataset):
    """The shipped events as ``Event`` objects, oldest first."""
    return every_event(dataset)
