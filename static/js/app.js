// Arbeidsdagen: small enhancements only. Every page works without this file.
(function () {
  "use strict";

  // "Les høyt": read the page title and main content aloud with the browser's speech. Where the
  // phone has no voice for the language, play audio made by the server (espeak-ng); only when
  // that fails too does it say so in words. Shown only when JavaScript runs.
  function voiceFor(lang) {
    var voices = window.speechSynthesis ? window.speechSynthesis.getVoices() : [];
    var wanted = lang === "en" ? ["en"] : lang === "nn" ? ["nn", "nb", "no"] : ["nb", "no", "nn"];
    for (var i = 0; i < wanted.length; i++) {
      for (var j = 0; j < voices.length; j++) {
        if (voices[j].lang.toLowerCase().indexOf(wanted[i]) === 0) { return voices[j]; }
      }
    }
    return null;
  }

  function pageText() {
    var parts = [];
    var title = document.getElementById("page-title");
    if (title) { parts.push(title.innerText); }
    var main = document.getElementById("main");
    if (main) { parts.push(main.innerText); }
    return parts.join(". ");
  }

  function setUp(button) {
    var label = button.querySelector("[data-read-aloud-label]");
    var readLabel = label.textContent;
    var status = button.parentNode.querySelector("[data-read-aloud-status]");
    button.hidden = false;

    var player = null;
    function reset() { label.textContent = readLabel; }
    function play(audio) {
      player = audio;
      audio.onended = reset;
      audio.play().catch(reset);
    }
    function serverAudio(lang) {
      var body = new FormData();
      body.append("text", pageText());
      body.append("lang", lang);
      var headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
      return fetch(button.dataset.audioUrl, {method: "POST", body: body, headers: headers,
                                             credentials: "same-origin"})
        .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
        .then(function (data) { return new Audio(data.url); });
    }

    button.addEventListener("click", function () {
      var synth = window.speechSynthesis;
      var lang = document.documentElement.lang;
      if (synth && synth.speaking) { synth.cancel(); reset(); return; }
      var voice = synth ? voiceFor(lang) : null;
      var recording = document.querySelector("[data-read-aloud-audio]");
      if (!voice) {
        // No voice on this phone: play the recording made for this lesson screen, or ask the
        // server to read this page (made once per text, then kept).
        if (player && !player.paused) { player.pause(); player.currentTime = 0; reset(); return; }
        status.textContent = "";
        label.textContent = button.dataset.labelStop;
        if (recording) { play(recording); return; }
        serverAudio(lang).then(play).catch(function () {
          reset();
          status.textContent = lang === "en" ? button.dataset.noVoiceEn : button.dataset.noVoice;
        });
        return;
      }
      status.textContent = "";
      var utterance = new SpeechSynthesisUtterance(pageText());
      utterance.voice = voice;
      utterance.lang = voice.lang;
      utterance.rate = 0.9;
      utterance.onend = reset;
      utterance.onerror = reset;
      label.textContent = button.dataset.labelStop;
      synth.speak(utterance);
    });
  }

  // "Hvordan har du det på jobb?": when htmx brings the next question in place, the focus goes
  // to that question, so a screen reader reads it and Tab goes on to its answers.
  // Only after an answer was sent: another swap on the page must not move the focus.
  document.addEventListener("htmx:afterSettle", function (event) {
    var config = event.detail && event.detail.requestConfig;
    if (!config || String(config.path).indexOf("/how-are-you/answer") === -1) { return; }
    var question = document.querySelector("#checkin-card [data-checkin-question]");
    if (question) { question.focus(); }
  });

  document.addEventListener("DOMContentLoaded", function () {
    if (window.speechSynthesis) { window.speechSynthesis.getVoices(); } // starts loading voices
    document.querySelectorAll("[data-read-aloud]").forEach(setUp);
  });
})();
