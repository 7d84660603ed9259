// Arbeidsdagen: small enhancements only. Every page works without this file.
(function () {
  "use strict";

  // "Les høyt": read the page title and main content aloud with the browser's speech.
  // Shown only when JavaScript runs; says plainly when the phone has no voice for the language.
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

    function reset() { label.textContent = readLabel; }

    button.addEventListener("click", function () {
      var synth = window.speechSynthesis;
      var lang = document.documentElement.lang;
      if (synth && synth.speaking) { synth.cancel(); reset(); return; }
      var voice = synth ? voiceFor(lang) : null;
      var recording = document.querySelector("[data-read-aloud-audio]");
      if (!voice && recording) {
        // No voice on this phone: play the recording made for this lesson screen.
        if (!recording.paused) { recording.pause(); recording.currentTime = 0; reset(); return; }
        status.textContent = "";
        label.textContent = button.dataset.labelStop;
        recording.onended = reset;
        recording.play().catch(reset);
        return;
      }
      if (!voice) {
        status.textContent = lang === "en" ? button.dataset.noVoiceEn : button.dataset.noVoice;
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

  document.addEventListener("DOMContentLoaded", function () {
    if (window.speechSynthesis) { window.speechSynthesis.getVoices(); } // starts loading voices
    document.querySelectorAll("[data-read-aloud]").forEach(setUp);
  });
})();
