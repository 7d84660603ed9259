import pytest

from worker_app.services.readability import check, lix, sentences, words


def test_lix_of_a_known_text():
    # 9 words, 2 sentences, 2 long words (arbeids, kontrakt... counted by letters > 6):
    text = "Du har fri i dag. Neste vakt er mandag."
    # words: Du har fri i dag Neste vakt er mandag = 9; long (>6): none -> 4.5
    assert lix(text) == pytest.approx(9 / 2)


def test_lix_counts_long_words_and_splits_hyphenated_compounds():
    text = "Ring trygghets-nummeret."
    # parts: Ring, trygghets, nummeret -> 3 words, 2 long, 1 sentence
    assert words(text) == ["Ring", "trygghets", "nummeret"]
    assert lix(text) == pytest.approx(3 + 100 * 2 / 3)


def test_ordinals_and_clock_times_do_not_end_sentences():
    text = "Neste vakt er mandag 7. desember kl. 09:00. Gå hjemme-fra kl. 08:25."
    assert len(sentences(text)) == 2


def test_hard_text_scores_high():
    easy = "Du får lønn for jobben. Lønn er penger."
    hard = ("Arbeidsgiveren plikter å utbetale lønnskompensasjon i henhold til "
            "tariffavtalens bestemmelser om overtidsgodtgjørelse.")
    assert lix(easy) < 30 < lix(hard)


def test_check_warns_about_long_sentences_and_unsplit_long_words():
    text = ("Husk at du alltid kan ringe til trygghets-nummeret hvis det er noe som er galt "
            "eller vanskelig på jobben din. Arbeidsmiljøloven gjelder.")
    report = check(text)
    assert len(report.long_sentences) == 1
    assert report.long_words == ["Arbeidsmiljøloven"]


def test_empty_text():
    assert lix("") == 0
    assert check("").long_sentences == []
