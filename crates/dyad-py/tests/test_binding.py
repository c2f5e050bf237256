"""The Python module against the CLI: same events for the same input, same messages."""

import json
import threading
import time
import warnings

import pytest

import dyad
from conftest import EXAMPLES, REPO, cli_events, run_cli

NEWS = EXAMPLES / "news.jsonl"
PAGE = EXAMPLES / "summit.html"


def test_package_carries_its_data(coder):
    # The wheel is self-contained: dictionaries and model come from the installed package.
    assert "site-packages" in str(coder.dict_dir) or "DYAD_DICT" in __import__("os").environ
    assert (coder.dict_dir / "VERSION").exists()
    assert coder.dict_version == (REPO / "dict" / "VERSION").read_text().strip()


def test_code_batch_is_the_cli_jsonl(coder):
    expected = cli_events(NEWS.relative_to(REPO))
    assert expected, "the example news gives events"
    lines = NEWS.read_bytes().splitlines()
    name = str(NEWS.relative_to(REPO))
    # JSONL lines, and the same records as dicts: the same events as the CLI, in its order.
    for docs in (lines, [json.loads(x) for x in lines]):
        got = [e for evs in coder.code_batch(docs, threads=2, name=name) for e in evs]
        assert got == expected


def test_code_batch_yields_one_list_per_document_whatever_the_threads(coder):
    docs = [json.loads(x) for x in NEWS.read_bytes().splitlines()] * 3
    one = list(coder.code_batch(docs, threads=1))
    two = list(coder.code_batch(iter(docs), threads=2))
    assert len(one) == len(docs) and one == two
    assert all(e["doc_id"] == d["id"] for d, evs in zip(docs, one) for e in evs)


def test_code_is_the_cli_on_one_record(coder):
    expected = cli_events(NEWS.relative_to(REPO))
    for line in NEWS.read_text().splitlines():
        r = json.loads(line)
        got = coder.code(r["text"], date=r["published"][:10], url=r["url"], id=r["id"])
        assert got == [e for e in expected if e["doc_id"] == r["id"]]


def test_code_html_is_the_cli_on_a_page(coder):
    expected = cli_events(PAGE.relative_to(REPO))
    assert expected
    got = coder.code(PAGE.read_text(), html=True, id=str(PAGE.relative_to(REPO)))
    assert got == expected


def test_explain_is_the_cli_explain(coder):
    sentence = "Putin denied that Russia meddled in the election."
    out = run_cli("explain", sentence, "--date", "2017-07-07").stdout
    for x in (dyad.explain(sentence, date="2017-07-07"), coder.explain(sentence, "2017-07-07")):
        text = f"dictionary version {x['dict_version']}\n{x['trace']}events: {len(x['events'])}\n"
        text += "".join(json.dumps(e, indent=2, ensure_ascii=False) + "\n" for e in x["events"])
        assert text == out


def test_errors_are_exceptions_with_the_cli_messages(coder, tmp_path):
    with pytest.raises(ValueError, match=r"^date `2024-13-01` is not YYYY-MM-DD$"):
        coder.code("Russia met Ukraine.", date="2024-13-01")
    cli = run_cli("code", "--date", "2024-13-01", NEWS, check=False)
    assert cli.returncode == 2 and "`2024-13-01` is not YYYY-MM-DD" in cli.stderr

    for n in (0, 257):
        with pytest.raises(ValueError, match=rf"^threads: {n} is not in 1..=256$"):
            list(coder.code_batch(["x"], threads=n))
        assert f"{n} is not in 1..=256" in run_cli("code", "--threads", n, NEWS, check=False).stderr

    # A bad record: the same reason as `dyad code` gives when it skips it.
    bad = [{"text": "Russia met Ukraine."}, {"title": "no text"}, {"text": ""}]
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps(r) + "\n" for r in bad))
    cli = run_cli("code", feed, check=False)
    assert cli.returncode == 1
    skipped = [line.split(": ", 2)[2] for line in cli.stderr.splitlines()]
    assert skipped == ["no `text` or `html` field", "empty `text`"]
    it = coder.code_batch(bad, name="feed.jsonl")
    assert len(next(it)) >= 0
    with pytest.raises(ValueError, match=r"^feed.jsonl:2: no `text` or `html` field$"):
        next(it)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        out = list(coder.code_batch(bad, errors="skip", name="feed.jsonl"))
    assert [len(x) for x in out[1:]] == [0, 0]
    assert [str(x.message) for x in w] == [
        "skipped feed.jsonl:2: no `text` or `html` field",
        "skipped feed.jsonl:3: empty `text`",
    ]
    with pytest.raises(ValueError, match="^empty `text`$"):
        coder.code("")
    with pytest.raises(TypeError, match="a document is a dict"):
        list(coder.code_batch([42]))
    with pytest.raises(ValueError, match="errors must be"):
        coder.code_batch([], errors="ignore")

    missing = tmp_path / "nodict"
    with pytest.raises(dyad.DyadError) as e:
        dyad.Coder(dict_dir=missing)
    cli = run_cli("code", "--dict", missing, NEWS, check=False)
    assert cli.returncode == 2
    assert str(e.value) in cli.stderr
    assert str(e.value).startswith(f"dictionaries in {missing} have errors")
    with pytest.raises(dyad.DyadError):
        dyad.Coder(model=tmp_path / "none.dyadsyn")


def test_the_gil_is_released_while_coding(coder):
    # A long document coded on one thread while another Python thread keeps counting.
    text = " ".join(json.loads(x)["text"] for x in NEWS.read_text().splitlines()) * 40
    ticks = 0
    stop = threading.Event()

    def tick():
        nonlocal ticks
        while not stop.is_set():
            ticks += 1
            time.sleep(0.001)

    t = threading.Thread(target=tick)
    t.start()
    start = time.perf_counter()
    coder.code(text, date="2024-03-05")
    took = time.perf_counter() - start
    stop.set()
    t.join()
    assert took > 0.05, "the document should take a while to code"
    # Held GIL: the counter would barely move (one switch per 5 ms at best).
    assert ticks > took * 1000 * 0.3, (ticks, took)


def test_stubs_name_every_public_function():
    import inspect

    stub = (REPO / "crates" / "dyad-py" / "python" / "dyad" / "_dyad.pyi").read_text()
    for name in dyad.__all__:
        assert name in stub
    for name, _ in inspect.getmembers(dyad.Coder):
        if not name.startswith("__"):
            assert f"def {name}" in stub or name in stub, name
    assert dyad.Coder.code.__doc__ and dyad.Coder.code_batch.__doc__ and dyad.explain.__doc__
