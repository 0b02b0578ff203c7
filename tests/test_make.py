"""`make run` starts the trained model as it is: with unchanged data nothing is retrained."""
import subprocess

import pytest

from helpers import ROOT

pytestmark = pytest.mark.integration  # needs the trained model


def test_the_model_is_up_to_date_so_run_does_not_retrain():
    # make test has trained the model before pytest; -q: exit 0 only when nothing would run
    result = subprocess.run(["make", "-q", "models/cart.tar.gz"], cwd=ROOT)
    assert result.returncode == 0, "make would retrain: a training input is newer than the model"
