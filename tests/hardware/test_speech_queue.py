"""The Speech facade over the recording engine: priorities, cut-offs, privacy routing, steps, reset."""

from __future__ import annotations

import pytest

from hardware.speech import NEUTRAL_PHRASE, Priority, RecordingSpeech


@pytest.fixture
def speech():
    s = RecordingSpeech(hold=True)
    yield s
    s.close()


def _finish_and_wait(speech, count):
    speech.finish()
    assert speech.wait_for_spoken(count)


def test_new_utterance_of_equal_priority_cuts_the_current_one(speech):
    speech.say("Главно меню")
    assert speech.wait_for_spoken(1)
    speech.say("Услуги")
    assert speech.wait_for_spoken(2)
    first, second = speech.spoken
    assert first.text == "Главно меню" and first.interrupted
    assert second.text == "Услуги" and not second.interrupted
    assert speech.is_speaking


def test_lower_priority_waits_for_the_current_one(speech):
    speech.say("Поле ЕГН: грешна контролна цифра", priority=Priority.HIGH)
    assert speech.wait_for_spoken(1)
    speech.say("Бутон Напред", priority=Priority.LOW)
    assert not speech.wait_for_spoken(2, timeout=0.2)  # still the error being spoken
    _finish_and_wait(speech, 2)
    assert [e.text for e in speech.spoken] == ["Поле ЕГН: грешна контролна цифра", "Бутон Напред"]
    assert not speech.spoken[0].interrupted


def test_queue_is_ordered_by_priority_then_arrival(speech):
    speech.say("сега", priority=Priority.NORMAL)
    assert speech.wait_for_spoken(1)
    speech.say("подсказка", priority=Priority.LOW, interrupt=False)
    speech.say("грешка 1", priority=Priority.HIGH, interrupt=False)
    speech.say("стойност", priority=Priority.NORMAL, interrupt=False)
    speech.say("грешка 2", priority=Priority.HIGH, interrupt=False)
    for n in range(2, 6):
        _finish_and_wait(speech, n)
    assert [e.text for e in speech.spoken] == ["сега", "грешка 1", "грешка 2", "стойност", "подсказка"]
    assert not any(e.interrupted for e in speech.spoken)


def test_interrupting_drops_queued_utterances_of_lower_or_equal_priority(speech):
    speech.say("текущо", priority=Priority.HIGH)
    assert speech.wait_for_spoken(1)
    speech.say("стара подсказка", priority=Priority.LOW, interrupt=False)
    speech.say("спешно", priority=Priority.URGENT)
    assert speech.wait_for_spoken(2)
    _finish_and_wait(speech, 2)
    speech.finish()
    assert speech.wait_until_idle(5)
    assert [e.text for e in speech.spoken] == ["текущо", "спешно"]


def test_stop_and_user_action_silence_everything(speech):
    speech.say("едно")
    assert speech.wait_for_spoken(1)
    speech.say("две", priority=Priority.LOW, interrupt=False)
    speech.user_action()
    assert speech.wait_until_idle(5)
    assert speech.spoken[0].interrupted
    assert [e.text for e in speech.spoken] == ["едно"]
    assert not speech.is_speaking


def test_private_text_goes_only_to_the_headset(speech):
    speech.set_output("speaker")
    speech.say("ЕГН 7501010010", private=True, public_text="ЕГН: показано на екрана")
    assert speech.wait_for_spoken(1)
    speech.say("Адрес: ул. Витоша 1", private=True)
    assert speech.wait_for_spoken(2)
    speech.set_output("headset")
    speech.say("ЕГН 7501010010", private=True)
    assert speech.wait_for_spoken(3)
    public, neutral, private = speech.spoken
    assert (public.text, public.output, public.private) == ("ЕГН: показано на екрана", "speaker", True)
    assert neutral.text == NEUTRAL_PHRASE["bg"] and "Витоша" not in neutral.text
    assert (private.text, private.output) == ("ЕГН 7501010010", "headset")


def test_repeat_rechecks_privacy_and_reset_forgets(speech):
    speech.set_output("headset")
    speech.say("Дължима сума 120 лв.", private=True)
    assert speech.wait_for_spoken(1)
    speech.set_output("speaker")  # the headset was pulled out
    speech.repeat()
    assert speech.wait_for_spoken(2)
    assert speech.spoken[1].text == NEUTRAL_PHRASE["bg"]
    speech.reset()
    assert speech.repeat() is None  # nothing of the previous citizen is left to replay


def test_rate_and_volume_steps_clamp_and_reset(speech):
    assert (speech.rate_step, speech.volume_step) == (3, 3)
    for _ in range(10):
        speech.faster()
    assert speech.rate_step == 6
    assert speech.quieter() == 2
    speech.say("проба")
    assert speech.wait_for_spoken(1)
    assert (speech.spoken[0].rate_step, speech.spoken[0].volume_step) == (6, 2)
    for _ in range(10):
        speech.slower()
    assert speech.rate_step == 0
    speech.reset()
    assert (speech.rate_step, speech.volume_step) == (3, 3)


def test_pause_holds_the_queue_until_resume(speech):
    speech.say("първо")
    assert speech.wait_for_spoken(1)
    speech.pause()
    assert speech.engine.paused
    speech.say("второ", interrupt=False)
    speech.finish()
    assert not speech.wait_for_spoken(2, timeout=0.2)
    speech.resume()
    assert speech.wait_for_spoken(2)
    assert speech.spoken[1].text == "второ"


def test_unknown_output_is_refused(speech):
    with pytest.raises(ValueError, match="headset"):
        speech.set_output("bluetooth")


def test_listener_sees_start_interrupted_and_end():
    events = []
    with RecordingSpeech(hold=False) as speech:
        speech.add_listener(lambda event, u: events.append((event, u.text)))
        speech.say("Здравейте", lang="bg")
        assert speech.wait_until_idle(5)
    assert events == [("start", "Здравейте"), ("end", "Здравейте")]


def test_pulling_the_headset_out_cuts_a_private_utterance(speech):
    speech.set_output("headset")
    speech.say("ЕГН 7501010010", private=True)
    assert speech.wait_for_spoken(1)
    speech.set_output("speaker")
    assert speech.wait_until_idle(5)
    assert speech.spoken[0].interrupted
    speech.say("Бутон Напред")
    assert speech.wait_for_spoken(2)
    speech.set_output("headset")
    speech.set_output("speaker")  # public speech is not cut by a change of output
    assert not speech.spoken[1].interrupted


def test_new_speech_supersedes_a_pause(speech):
    speech.say("дълъг текст")
    assert speech.wait_for_spoken(1)
    speech.pause()
    assert speech.paused
    speech.say("Сесията ви изтича след 20 секунди", priority=Priority.URGENT)
    assert speech.wait_for_spoken(2)
    assert not speech.paused
    assert speech.spoken[0].interrupted and speech.spoken[1].text.startswith("Сесията")


def test_a_failed_start_wakes_whoever_waits_for_silence():
    """An engine that cannot start (no sound card) must not leave wait_until_idle() blocked
    for its whole timeout: the failed utterance is over, and the queue is empty."""
    import sys
    import threading

    from hardware.speech import Speech, UnavailableEngine

    speech = Speech(UnavailableEngine("no sound card"))
    returned = threading.Event()
    answer: list[bool] = []

    def say_and_wait() -> None:
        speech.say("Добре дошли")
        answer.append(speech.wait_until_idle(timeout=60))
        returned.set()

    # keep this thread on the interpreter until it waits, so that it is already waiting when the
    # engine fails (as a tool calling say() then wait_until_idle() nearly always is)
    interval = sys.getswitchinterval()
    sys.setswitchinterval(5.0)
    try:
        waiter = threading.Thread(target=say_and_wait, daemon=True)
        waiter.start()
        assert returned.wait(timeout=10), "wait_until_idle() kept waiting after the engine failed to start"
        assert answer == [True]
    finally:
        sys.setswitchinterval(interval)
        speech.close()  # wakes a waiter left behind by a failure above
