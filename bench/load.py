"""Many users at once: 20 chat sessions ask while an editor adds and removes articles (`python -m bench`'s load stage).

On 127.0.0.1 only: the seed articles copied into a temporary library, the chat served as `make run`
serves it (`python -m ui.serve`, a process of its own), and each session a websocket speaking
Streamlit's own protocol, as a browser tab does: a run of the page, then for each question a rerun
carrying the chat box's value; an answer's time runs from sending it to the end of that run.
Meanwhile an editor adds an article and removes it again, over and over, through the library's
facade in this process (as `python -m ingest add/remove` beside the app does); the app's next
question after each change is answered from the new index.

Counted as an error: a run that shows an exception or an error message, ends otherwise than
finished, answers with neither quotes nor a "the articles do not say" notice, takes longer than
its timeout, or a connection that closes. Nothing lost: afterwards the change log holds each add
and remove the editor made, the library holds the seeds again with every added article kept under
.removed/, and the index is the library's. p50/p95 of one user alone beside the 20.
Bounded: each wait has a timeout, the sessions and the editor a deadline, the server is stopped.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.exceptions import WebSocketException
from websockets.sync.client import ClientConnection, connect

from library import Library, new_article

ROOT = Path(__file__).resolve().parent.parent
EDITOR = "belastningstest"
SESSIONS = 20
ANSWER_TIMEOUT_S = 120.0
_OFFLINE = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "OMP_NUM_THREADS": "1"}
_ARTICLE = ("Erfaringer fra stormen nr. {n}\n\nKommunen åbnede et varmested i hal {n}, da strømmen gik. \"Vi lærte, "
            "at generatorerne skal afprøves hver måned,\" siger beredskabschefen i distrikt {n}. Frivillige kørte "
            "mad ud til {n} ældre borgere.\n")


@dataclass
class Plan:
    """How much load: a quick run (`--quick`) and a full one differ only in counts and deadline."""

    sessions: int = SESSIONS
    questions_each: int = 6
    single_questions: int = 30
    deadline_s: float = 420.0

    @classmethod
    def of(cls, quick: bool) -> Plan:
        return cls(questions_each=2, single_questions=10, deadline_s=150.0) if quick else cls()


@dataclass
class Outcome:
    """One session's answers: their times (ms) and what went wrong."""

    times_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


class Session:
    """One browser tab's conversation with the chat, over Streamlit's websocket."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.chat_id = ""
        elements = self._run([])
        ids = [e.chat_input.id for e in elements if e.WhichOneof("type") == "chat_input"]
        if not ids:
            raise RuntimeError("siden har ingen chatboks")
        self.chat_id = ids[0]

    def _run(self, widgets: list[WidgetState]) -> list[Any]:
        """One run of the page: the elements it drew (raises on anything but a finished run)."""
        message = BackMsg()
        message.rerun_script.query_string = ""
        message.rerun_script.page_script_hash = ""
        message.rerun_script.widget_states.widgets.extend(widgets)
        self.ws.send(message.SerializeToString())
        elements = []
        deadline = time.monotonic() + ANSWER_TIMEOUT_S
        while True:
            forward = ForwardMsg()
            forward.ParseFromString(self.ws.recv(timeout=max(1.0, deadline - time.monotonic())))
            kind = forward.WhichOneof("type")
            if kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                elements.append(forward.delta.new_element)
            elif kind == "script_finished":
                if forward.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    # The chat reruns itself once an answer is in the history (app.py's st.rerun):
                    # the page the leader sees is the next run's.
                    elements = []
                    continue
                if forward.script_finished != ForwardMsg.FINISHED_SUCCESSFULLY:
                    raise RuntimeError(f"kørslen sluttede med status {forward.script_finished}")
                return elements

    def ask(self, question: str) -> tuple[float, str | None]:
        """Ask one question; (milliseconds, None) or (milliseconds, what went wrong)."""
        widget = WidgetState()
        widget.id = self.chat_id
        widget.chat_input_value.data = question
        started = time.perf_counter()
        elements = self._run([widget])
        elapsed = (time.perf_counter() - started) * 1000
        for element in elements:
            kind = element.WhichOneof("type")
            if kind == "exception":
                return elapsed, f"undtagelse: {element.exception.message[:200]}"
            if kind == "alert" and element.alert.format == Alert.ERROR:
                return elapsed, f"fejlbesked: {element.alert.body[:200]}"
        shown = " ".join(e.html.body for e in elements if e.WhichOneof("type") == "html")
        if "eb-card" not in shown and "eb-notice" not in shown:
            return elapsed, "svaret havde hverken citater eller en besked"
        return elapsed, None



def _stream(url: str) -> ClientConnection:
    """The page's websocket, as a browser tab opens it (use it in a `with`)."""
    return connect(url.replace("http://", "ws://") + "_stcore/stream", subprotocols=["streamlit"],  # type: ignore[list-item]
                   open_timeout=30, max_size=None)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _healthy(url: str, deadline: float, process: subprocess.Popen[bytes]) -> dict[str, Any]:
    while True:
        if process.poll() is not None:
            raise RuntimeError("chatten stoppede under start")
        try:
            with urllib.request.urlopen(url + "healthz", timeout=10) as response:
                return dict(json.loads(response.read()))
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError("chatten svarede ikke inden for fristen") from None
            time.sleep(0.5)


def _asker(url: str, questions: list[str], outcome: Outcome, start: threading.Barrier, stop_at: float) -> None:
    waited = False
    try:
        with _stream(url) as ws:
            session = Session(ws)
            start.wait()
            waited = True
            for question in questions:
                if time.monotonic() > stop_at:
                    outcome.errors.append("fristen for belastningstesten udløb, før alle spørgsmål var stillet")
                    return
                elapsed, problem = session.ask(question)
                outcome.times_ms.append(elapsed)
                if problem:
                    outcome.errors.append(problem)
    except (OSError, WebSocketException, RuntimeError, TimeoutError) as error:
        outcome.errors.append(f"forbindelse: {type(error).__name__}: {error}")
    finally:
        if not waited:
            with contextlib.suppress(threading.BrokenBarrierError):
                start.wait()  # the others start together whether this session connected or not


def _editor(library: Library, done: threading.Event, stop_at: float, made: list[tuple[str, str]],
            errors: list[str]) -> None:
    """Add an article and remove it again until the sessions are done (at least once)."""
    n = 0
    while n == 0 or (not done.is_set() and time.monotonic() < stop_at):
        n += 1
        name = f"storm_{n:03d}.txt"
        try:
            library.add_article(name, _ARTICLE.format(n=n).encode("utf-8"), new_article(title=f"Stormen nr. {n}"),
                                who=EDITOR)
            made.append(("add", name))
            library.remove(name, who=EDITOR)
            made.append(("remove", name))
        except Exception as error:  # every failure of a change is a finding, named in the result
            errors.append(f"{name}: {type(error).__name__}: {error}")
            return


def _percentiles(times: list[float]) -> dict[str, float | None]:
    if not times:
        return {"p50": None, "p95": None, "max": None}
    values = np.asarray(times)
    return {"p50": float(np.percentile(values, 50)), "p95": float(np.percentile(values, 95)),
            "max": float(values.max())}


def _lost(library: Library, seeds: set[str], made: list[tuple[str, str]], log_before: int) -> list[str]:
    """What the library lacks or holds wrongly after the load: empty when nothing was lost."""
    lost = []
    logged = [(c.action, c.file) for c in library.log()[log_before:] if c.who == EDITOR]
    if logged != made:
        lost.append(f"ændringsloggen har {len(logged)} af editorens {len(made)} ændringer i rækkefølge")
    present = {e.file for e in library.catalog() if not e.removed}
    if present != seeds:
        lost.append(f"biblioteket holder {sorted(present)}, ventet {sorted(seeds)}")
    kept = {e.file for e in library.removed()}
    missing = {name for action, name in made if action == "remove"} - kept
    if missing:
        lost.append(f"fjernede artikler mangler i .removed/: {sorted(missing)}")
    reason = library.stale_reason()
    if reason is not None:
        lost.append(f"indekset passer ikke til biblioteket: {reason}")
    return lost


def run_load(work: Path, quick: bool, plan: Plan | None = None) -> dict[str, Any]:
    """Serve a library, measure one user alone, then `plan.sessions` at once with an editor at work.

    Args:
        work: A scratch folder (the library is made in it).
        quick: The short plan (`--quick`).
        plan: Counts and deadline (default: `Plan.of(quick)`).

    Returns:
        The figures (JSON-ready): answer times alone and under load, errors, the editor's changes, what was lost.
    """
    plan = plan or Plan.of(quick)
    questions = [json.loads(line)["question"] for line in (ROOT / "eval" / "questions.jsonl").open(encoding="utf-8")]
    folder = work / "load-library"
    shutil.rmtree(folder, ignore_errors=True)
    corpus, index_dir = folder / "articles", folder / "index"
    corpus.mkdir(parents=True)
    for path in (ROOT / "corpus").iterdir():
        if path.is_file() and not path.name.startswith("."):
            shutil.copy2(path, corpus / path.name)
    seeds = {p.name for p in corpus.iterdir() if p.suffix == ".txt"}
    library = Library(corpus, index_dir)
    library.build()
    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    env = {k: v for k, v in os.environ.items() if not k.startswith("ERFARINGSBANKEN_")} | _OFFLINE
    log = (work / "load-server.log").open("w")
    started = time.monotonic()
    server = subprocess.Popen(
        [sys.executable, "-m", "ui.serve", "--corpus", str(corpus), "--index-dir", str(index_dir),
         "--address", "127.0.0.1", "--port", str(port)],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    try:
        _healthy(url, time.monotonic() + 180, server)
        stop_at = time.monotonic() + plan.deadline_s

        def asked_in(session: int) -> list[str]:
            return [questions[(session * 7 + q) % len(questions)] for q in range(plan.questions_each)]

        # One user alone: sessions like the load's (as many questions each, so each page holds as much
        # history), one after another, until `single_questions` are answered.
        alone = Outcome()
        for session in range(-(-plan.single_questions // plan.questions_each)):
            _asker(url, asked_in(session), alone, threading.Barrier(1), stop_at)
        log_before = len(library.log())
        together = [Outcome() for _ in range(plan.sessions)]
        barrier = threading.Barrier(plan.sessions + 1)
        threads = [threading.Thread(target=_asker, args=(url, asked_in(s), together[s], barrier, stop_at), daemon=True)
                   for s in range(plan.sessions)]
        for thread in threads:
            thread.start()
        barrier.wait(timeout=120)
        load_started = time.monotonic()
        done = threading.Event()
        made: list[tuple[str, str]] = []
        editor_errors: list[str] = []
        editor = threading.Thread(target=_editor, args=(library, done, stop_at, made, editor_errors), daemon=True)
        editor.start()
        for thread in threads:
            thread.join(timeout=max(1.0, stop_at - time.monotonic() + ANSWER_TIMEOUT_S))
        done.set()
        editor.join(timeout=ANSWER_TIMEOUT_S)
        load_s = time.monotonic() - load_started
        health = _healthy(url, time.monotonic() + 30, server)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()
    load_times = [t for o in together for t in o.times_ms]
    errors = [e for o in together for e in o.errors] + alone.errors
    if editor.is_alive():
        editor_errors.append("editoren blev ikke færdig inden for fristen")
    return {
        "sessions": plan.sessions,
        "questions_single": len(alone.times_ms),
        "questions_load": len(load_times),
        "single_ms": _percentiles(alone.times_ms),
        "load_ms": _percentiles(load_times),
        "load_s": load_s,
        "total_s": time.monotonic() - started,
        "errors": len(errors) + len(editor_errors),
        "error_samples": (errors + editor_errors)[:5],
        "editor_adds": sum(1 for action, _ in made if action == "add"),
        "editor_removes": sum(1 for action, _ in made if action == "remove"),
        "lost": _lost(library, seeds, made, log_before),
        "health_after": {k: health.get(k) for k in ("ok", "articles", "passages")},
    }


def text_lines(load: dict[str, Any]) -> str:
    """The load stage in plain Danish, for `python -m bench`'s report."""
    single, many = load["single_ms"], load["load_ms"]

    def ms(value: float | None) -> str:
        return "–" if value is None else f"{value:.0f}"

    lost = "intet tabt" if not load["lost"] else "TABT: " + "; ".join(load["lost"])
    errors = f"{load['errors']} fejl" + (f" (fx {load['error_samples'][0]})" if load["error_samples"] else "")
    return "\n".join([
        f"Mange brugere på én gang (127.0.0.1, `python -m ui.serve`, Streamlits websocket som en browserfane): "
        f"{load['sessions']} sessioner spurgte {load['questions_load']} gange på {load['load_s']:.0f} s, mens en "
        f"redaktør tilføjede {load['editor_adds']} og fjernede {load['editor_removes']} artikler.",
        f"  Svartid én bruger alene ({load['questions_single']} spørgsmål, samme slags sessioner efter hinanden): "
        f"p50 {ms(single['p50'])} ms, "
        f"p95 {ms(single['p95'])} ms.",
        f"  Svartid med {load['sessions']} samtidige: p50 {ms(many['p50'])} ms, p95 {ms(many['p95'])} ms, "
        f"højst {ms(many['max'])} ms.",
        f"  {errors}; {lost}.",
    ])
