"""kiosk/background.py: work done off the frame thread, on real threads."""

from __future__ import annotations

import logging
import threading
import time
import weakref

import pytest

from kiosk.background import Background, Lane, running


def test_a_job_runs_in_a_thread_of_its_name_and_keeps_its_result() -> None:
    seen: list[str] = []

    def work(a: int, b: int) -> int:
        seen.append(threading.current_thread().name)
        return a + b

    job = Background("adder").start(work, 40, 2)
    assert job.wait(10) and job.result_or_none() == 42 and job.result() == 42
    assert seen == ["adder"] and threading.current_thread().name != "adder"


def test_a_failing_job_is_logged_with_its_name_and_gives_none(caplog) -> None:
    def broken() -> int:
        raise ValueError("no picture")

    with caplog.at_level(logging.ERROR, logger="kiosk.background"):
        job = Background("card", "drawing card 7 ahead").start(broken)
        assert job.wait(10)
    assert job.result_or_none() is None  # never raises into the frame that asks
    (record,) = caplog.records
    assert record.getMessage() == "drawing card 7 ahead failed (thread card)"
    assert "no picture" in caplog.text and "Traceback" in caplog.text
    exc = job.exception()  # kept for whoever asks, without the failed call's frames
    assert isinstance(exc, ValueError) and exc.__traceback__ is None


def test_a_job_cancelled_before_it_starts_never_runs() -> None:
    ran: list[int] = []
    job: Background[None] = Background("never")
    assert job.cancel()
    job.start(ran.append, 1)
    assert job.wait(0) and job.cancelled() and job.result_or_none() is None
    assert ran == [] and not any(t.name == "never" for t in threading.enumerate())
    with pytest.raises(RuntimeError, match="started twice"):
        job.start(ran.append, 2)


def test_waiters_hear_of_a_cancel_at_once() -> None:
    """No executor tells a cancelled job's waiters: the job does, so neither a waiter
    already waiting nor one on a lane that never had a job sits out its timeout."""
    job: Background[None] = Background("dropped")
    over: list[bool] = []
    waiter = threading.Thread(target=lambda: over.append(job.wait(600)), daemon=True)
    waiter.start()
    assert job.cancel() and job.cancel()  # twice: still cancelled, told once
    waiter.join(30)
    assert over == [True]
    fresh = threading.Thread(target=Lane("unused").wait, daemon=True)  # no timeout
    fresh.start()
    fresh.join(30)
    assert not fresh.is_alive()


def test_running_counts_the_jobs_between_their_start_and_their_result() -> None:
    # The count is the process's: a worker an earlier test left drawing ends when it ends.
    quiet_by = time.monotonic() + 30
    while running() and time.monotonic() < quiet_by:
        time.sleep(0.01)
    before = running()
    assert before == 0
    inside, go = threading.Event(), threading.Event()
    job = Background("counted").start(lambda: inside.set() or go.wait(30))
    Background("cancelled").cancel()  # never runs: never counted
    try:
        assert inside.wait(10) and running() == before + 1
    finally:
        go.set()
    assert job.wait(10)
    assert running() == before
    failing = Background("fails").start(lambda: 1 / 0)
    assert failing.wait(10) and running() == before  # a failure is over too


class _Owner:
    """Stands for a round: something a job's call belongs to."""

    def work(self, part: object, go: threading.Event) -> str:
        go.wait(30)
        return "drawn"

    def fail(self, part: object, go: threading.Event) -> str:
        go.wait(30)
        raise ValueError("no picture")


@pytest.mark.parametrize("fails", [False, True], ids=["result", "failure"])
def test_a_job_lets_go_of_its_call_before_its_waiters_hear(fails: bool) -> None:
    """Whoever waited for a job and then drops what its call belonged to (a finished round)
    frees it then, not whenever the job's thread gets round to ending: the call, its owner
    and its arguments are let go before the result (or the failure) is set."""
    done_at_release: list[bool] = []
    owner, part, go = _Owner(), _Owner(), threading.Event()
    job: Background[str] = Background("owned")
    weakref.finalize(owner, lambda: done_at_release.append(job.done()))
    weakref.finalize(part, lambda: done_at_release.append(job.done()))
    job.start(owner.fail if fails else owner.work, part, go)
    del owner, part  # the job's alone now
    go.set()
    assert job.wait(10)
    assert done_at_release == [False, False]
    assert job.result_or_none() == (None if fails else "drawn")


def test_join_waits_for_the_jobs_thread_to_end_not_only_for_its_result() -> None:
    """A result's callbacks run in the job's thread after its waiters hear: ``wait`` returns
    with the thread still busy there, ``join`` when it has ended (as the merge's early sync
    promises: nothing of it outlives the merge)."""
    job: Background[int] = Background("joined")
    after, release = threading.Event(), threading.Event()
    job.add_done_callback(lambda _: after.set() or release.wait(30))
    job.start(lambda: 5)
    try:
        assert job.wait(10) and after.wait(10)
        assert job._thread is not None and job._thread.is_alive()
        assert not job.join(0.05)  # its result is in, its thread is not over
    finally:
        release.set()
    assert job.join(10) and not any(t.name == "joined" for t in threading.enumerate())
    never: Background[None] = Background("never-joined")
    assert never.cancel() and never.start(print).join(0)  # never started: nothing to join


def test_a_running_job_cannot_be_cancelled_and_its_result_still_comes() -> None:
    go = threading.Event()
    job = Background("busy").start(lambda: go.wait(30) and "done")
    assert not job.cancel()
    go.set()
    assert job.result_or_none(timeout_s=10) == "done"


def test_wait_gives_up_at_its_timeout_and_polling_never_blocks() -> None:
    go = threading.Event()
    job = Background("slow").start(lambda: go.wait(30) and 7)
    try:
        assert not job.wait(0.01) and not job.done()
        assert job.result_or_none() is None  # not over yet: None, at once
        assert job.result_or_none(timeout_s=0.01) is None
    finally:
        go.set()
    assert job.wait(10) and job.result_or_none() == 7


def test_a_job_waiting_for_itself_is_not_stuck() -> None:
    """A job that ends up waiting for its own lane (a worker asking for the work it is
    doing) goes on at once instead of waiting for itself until the timeout."""
    job: Background[bool] = Background("self")
    job.start(lambda: job.wait())  # no timeout: this would never return
    assert job.result_or_none(timeout_s=10) is False


def test_a_lane_starts_one_job_at_a_time_when_asked_if_idle() -> None:
    lane = Lane("faces")
    go = threading.Event()
    order: list[str] = []
    assert not lane.busy()
    lane.wait(0)  # nothing started: nothing to wait for
    assert lane.start(lambda: go.wait(30) and order.append("first"))
    assert lane.busy() and not lane.start(order.append, "skipped", if_idle=True)
    go.set()
    lane.wait(10)
    assert not lane.busy() and order == ["first"]
    assert lane.start(order.append, "second", if_idle=True)
    lane.wait(10)
    assert order == ["first", "second"]


def test_a_failing_job_leaves_its_lane_usable(caplog) -> None:
    lane = Lane("menu-ahead", "drawing the menu ahead")
    with caplog.at_level(logging.ERROR, logger="kiosk.background"):
        lane.start(lambda: 1 / 0)
        lane.wait(10)
    assert "drawing the menu ahead failed (thread menu-ahead)" in caplog.text
    done: list[int] = []
    assert lane.start(done.append, 1, if_idle=True)
    lane.wait(10)
    assert done == [1]


def test_work_asked_again_while_a_job_runs_follows_it_once_with_the_last_arguments() -> None:
    """The heap's trim (kiosk/booth/collector.py): asked while one is under way, it must
    run once more after it, however often it was asked meanwhile, and in the same job."""
    lane = Lane("heap-trim")
    go = threading.Event()
    calls: list[str] = []

    def first() -> None:
        go.wait(30)
        calls.append("first")

    job = lane.start(first, again=True)
    assert lane.start(calls.append, "second", again=True) is job
    assert lane.start(calls.append, "third", again=True) is job
    assert calls == []  # nothing runs beside the job under way
    go.set()
    assert lane.wait(10)
    assert calls == ["first", "third"]
    later = lane.start(calls.append, "fourth", again=True)  # none running: a job of its own
    assert later is not job and lane.wait(10) and calls[-1] == "fourth"


def test_a_failed_call_drops_what_was_asked_after_it_and_the_lane_goes_on(caplog) -> None:
    lane = Lane("heap-trim", "giving the heap's free pages back")
    go = threading.Event()
    calls: list[int] = []

    def failing() -> None:
        go.wait(30)
        raise MemoryError("no")

    with caplog.at_level(logging.ERROR, logger="kiosk.background"):
        lane.start(failing, again=True)
        lane.start(calls.append, 1, again=True)
        go.set()
        assert lane.wait(10)
    assert "giving the heap's free pages back failed" in caplog.text and calls == []
    lane.start(calls.append, 2, again=True)
    assert lane.wait(10) and calls == [2]
