<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE" sourcelanguage="en">
<context>
    <name>AboutDialog</name>
    <message>
        <source>About StemDeck</source>
        <translation>Über StemDeck</translation>
    </message>
    <message>
        <source>StemDeck %1</source>
        <translation>StemDeck %1</translation>
    </message>
    <message>
        <source>Separates music into stems with MDX23C models, on your own computer.</source>
        <translation>Zerlegt Musik mit MDX23C-Modellen in Spuren – auf Ihrem eigenen Computer.</translation>
    </message>
    <message>
        <source>Qt %1</source>
        <translation>Qt %1</translation>
    </message>
    <message>
        <source>LibTorch %1</source>
        <translation>LibTorch %1</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <source>Credits for bundled data</source>
        <translation>Danksagungen für mitgelieferte Daten</translation>
    </message>
    <message>
        <source>Licence: GNU GPL version 3 or later. Models you download keep their authors&apos; licences.</source>
        <translation>Lizenz: GNU GPL Version 3 oder neuer. Heruntergeladene Modelle behalten die Lizenzen ihrer Urheber.</translation>
    </message>
</context>
<context>
    <name>DropOverlay</name>
    <message>
        <source>Drop to add to the queue</source>
        <translation>Loslassen, um zur Warteschlange hinzuzufügen</translation>
    </message>
</context>
<context>
    <name>ErrorBanner</name>
    <message numerus="yes">
        <source>%n more</source>
        <translation>
            <numerusform>%n weiteres Problem</numerusform>
            <numerusform>%n weitere Probleme</numerusform>
        </translation>
    </message>
    <message>
        <source>Dismiss the error</source>
        <translation>Fehlermeldung schließen</translation>
    </message>
    <message>
        <source>Hide details</source>
        <translation>Details ausblenden</translation>
    </message>
    <message>
        <source>Show details</source>
        <translation>Details anzeigen</translation>
    </message>
    <message>
        <source>Copy report</source>
        <translation>Bericht kopieren</translation>
    </message>
    <message>
        <source>Copy an error report to the clipboard</source>
        <translation>Fehlerbericht in die Zwischenablage kopieren</translation>
    </message>
    <message>
        <source>Error details</source>
        <translation>Fehlerdetails</translation>
    </message>
</context>
<context>
    <name>JobDelegate</name>
    <message>
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
    <message>
        <source>Progress of %1</source>
        <translation>Fortschritt von %1</translation>
    </message>
    <message>
        <source>%1 %2%</source>
        <translation>%1 %2 %</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Cancel %1</source>
        <translation>%1 abbrechen</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Wiederholen</translation>
    </message>
    <message>
        <source>Retry %1</source>
        <translation>%1 wiederholen</translation>
    </message>
    <message>
        <source>Retry on CPU</source>
        <translation>Auf der CPU wiederholen</translation>
    </message>
    <message>
        <source>Retry %1 on the CPU</source>
        <translation>%1 auf der CPU wiederholen</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Exportieren</translation>
    </message>
    <message>
        <source>Export %1</source>
        <translation>%1 exportieren</translation>
    </message>
    <message>
        <source>Show files</source>
        <translation>Dateien anzeigen</translation>
    </message>
    <message>
        <source>Show the stems of %1</source>
        <translation>Spuren von %1 anzeigen</translation>
    </message>
    <message>
        <source>Remove %1 from the list</source>
        <translation>%1 aus der Liste entfernen</translation>
    </message>
    <message>
        <source>Remove from the list</source>
        <translation>Aus der Liste entfernen</translation>
    </message>
</context>
<context>
    <name>JobListPanel</name>
    <message>
        <source>Queue</source>
        <translation>Warteschlange</translation>
    </message>
    <message>
        <source>%1 ready · %2 in progress · %3 done</source>
        <translation>%1 bereit · %2 in Arbeit · %3 fertig</translation>
    </message>
    <message>
        <source>%1 ready · %2 in progress · %3 done · %4 failed</source>
        <translation>%1 bereit · %2 in Arbeit · %3 fertig · %4 fehlgeschlagen</translation>
    </message>
    <message>
        <source>Clear finished</source>
        <translation>Erledigte entfernen</translation>
    </message>
    <message>
        <source>Remove finished, failed and cancelled jobs</source>
        <translation>Fertige, fehlgeschlagene und abgebrochene Aufträge entfernen</translation>
    </message>
    <message>
        <source>Overall progress</source>
        <translation>Gesamtfortschritt</translation>
    </message>
    <message>
        <source>Jobs</source>
        <translation>Aufträge</translation>
    </message>
    <message>
        <source>Drop audio files or folders anywhere on this window</source>
        <translation>Audiodateien oder Ordner irgendwo auf dieses Fenster ziehen</translation>
    </message>
    <message>
        <source>WAV, FLAC, Ogg, Opus, MP3 and AIFF are read. Folders are searched recursively.</source>
        <translation>WAV, FLAC, Ogg, Opus, MP3 und AIFF werden gelesen. Ordner werden rekursiv durchsucht.</translation>
    </message>
    <message>
        <source>Open audio files…</source>
        <translation>Audiodateien öffnen…</translation>
    </message>
    <message>
        <source>Separate the demo loop</source>
        <translation>Demo-Loop trennen</translation>
    </message>
    <message>
        <source>Separates the drum loop bundled with StemDeck and opens its stems in the preview</source>
        <translation>Trennt den mit StemDeck gelieferten Schlagzeug-Loop und öffnet seine Spuren in der Vorschau</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <source>StemDeck</source>
        <translation>StemDeck</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>Modelle</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>Vorschau</translation>
    </message>
    <message>
        <source>Profile</source>
        <translation>Profiling</translation>
    </message>
    <message>
        <source>Open audio files</source>
        <translation>Audiodateien öffnen</translation>
    </message>
    <message>
        <source>Audio files (%1)</source>
        <translation>Audiodateien (%1)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Choose the export folder</source>
        <translation>Exportordner wählen</translation>
    </message>
    <message>
        <source>Add a folder of audio files</source>
        <translation>Einen Ordner mit Audiodateien hinzufügen</translation>
    </message>
</context>
<context>
    <name>ModelPanel</name>
    <message>
        <source>Models</source>
        <translation>Modelle</translation>
    </message>
    <message>
        <source>Bundled</source>
        <translation>Mitgeliefert</translation>
    </message>
    <message>
        <source>Imported</source>
        <translation>Importiert</translation>
    </message>
    <message>
        <source>Downloaded</source>
        <translation>Heruntergeladen</translation>
    </message>
    <message>
        <source>Stems: %1</source>
        <translation>Spuren: %1</translation>
    </message>
    <message>
        <source>Download progress of %1</source>
        <translation>Download-Fortschritt von %1</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pausieren</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>Herunterladen</translation>
    </message>
    <message>
        <source>Pause the download of %1</source>
        <translation>Download von %1 pausieren</translation>
    </message>
    <message>
        <source>Download %1</source>
        <translation>%1 herunterladen</translation>
    </message>
    <message>
        <source>Import model…</source>
        <translation>Modell importieren…</translation>
    </message>
    <message>
        <source>Import a model checkpoint and its configuration</source>
        <translation>Modell-Checkpoint mit Konfiguration importieren</translation>
    </message>
    <message>
        <source>Select the .ckpt or .safetensors file and its .yaml together.</source>
        <translation>Wählen Sie die .ckpt- oder .safetensors-Datei zusammen mit ihrer .yaml.</translation>
    </message>
    <message>
        <source>Import a model</source>
        <translation>Modell importieren</translation>
    </message>
    <message>
        <source>Model files (*.ckpt *.safetensors *.yaml *.yml)</source>
        <translation>Modelldateien (*.ckpt *.safetensors *.yaml *.yml)</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>Verwerfen</translation>
    </message>
    <message>
        <source>Delete the partial download of %1</source>
        <translation>Unvollständigen Download von %1 löschen</translation>
    </message>
    <message>
        <source>Delete what was downloaded so far</source>
        <translation>Bisher Heruntergeladenes löschen</translation>
    </message>
</context>
<context>
    <name>ProfilingPanel</name>
    <message>
        <source>Load model</source>
        <translation>Modell laden</translation>
    </message>
    <message>
        <source>Decode</source>
        <translation>Dekodieren</translation>
    </message>
    <message>
        <source>Resample</source>
        <translation>Neuabtastung</translation>
    </message>
    <message>
        <source>Warm-up</source>
        <translation>Aufwärmen</translation>
    </message>
    <message>
        <source>Transfer</source>
        <translation>Übertragung</translation>
    </message>
    <message>
        <source>STFT</source>
        <translation>STFT</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>iSTFT</source>
        <translation>iSTFT</translation>
    </message>
    <message>
        <source>Overlap-add</source>
        <translation>Overlap-Add</translation>
    </message>
    <message>
        <source>Encode</source>
        <translation>Kodieren</translation>
    </message>
    <message>
        <source>Write</source>
        <translation>Schreiben</translation>
    </message>
    <message>
        <source>n/a</source>
        <translation>k. A.</translation>
    </message>
    <message>
        <source>Device: %1</source>
        <translation>Gerät: %1</translation>
    </message>
    <message>
        <source>%1x real-time</source>
        <translation>%1-fache Echtzeit</translation>
    </message>
    <message>
        <source>Warm-up %1 s</source>
        <translation>Aufwärmen %1 s</translation>
    </message>
    <message>
        <source>Batch %1 (%2 batches)</source>
        <translation>Batch %1 (%2 Batches)</translation>
    </message>
    <message>
        <source>Wall %1 s</source>
        <translation>Gesamt %1 s</translation>
    </message>
    <message>
        <source>Export Chrome trace</source>
        <translation>Chrome-Trace exportieren</translation>
    </message>
    <message>
        <source>Trace written to %1 (open it in ui.perfetto.dev)</source>
        <translation>Trace nach %1 geschrieben (in ui.perfetto.dev öffnen)</translation>
    </message>
    <message>
        <source>Export summary</source>
        <translation>Zusammenfassung exportieren</translation>
    </message>
    <message>
        <source>No job profiled yet: start a separation to see where its time and memory go.</source>
        <translation>Noch kein Auftrag gemessen: Starten Sie eine Trennung, um zu sehen, wohin Zeit und Speicher gehen.</translation>
    </message>
    <message>
        <source>Summary written to %1</source>
        <translation>Zusammenfassung nach %1 geschrieben</translation>
    </message>
    <message>
        <source>Time per stage</source>
        <translation>Zeit pro Phase</translation>
    </message>
    <message>
        <source>Throughput (x real-time), peak %1</source>
        <translation>Durchsatz (x Echtzeit), Spitze %1</translation>
    </message>
    <message>
        <source>Memory peaks: process (blue) %1, device (orange) %2; budget (red) %3</source>
        <translation>Speicherspitzen: Prozess (blau) %1, Gerät (orange) %2; Budget (rot) %3</translation>
    </message>
    <message>
        <source>Batch changes, fallbacks and warnings</source>
        <translation>Batch-Änderungen, Ausweichlösungen und Warnungen</translation>
    </message>
    <message>
        <source>%1 MiB</source>
        <translation>%1 MiB</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 s  %2: %3</source>
        <translation>%1 s  %2: %3</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>Work moved to another device</source>
        <translation>Arbeit auf ein anderes Gerät verlagert</translation>
    </message>
    <message>
        <source>The job goes on there; results are the same, only slower.</source>
        <translation>Der Auftrag läuft dort weiter; das Ergebnis ist dasselbe, es dauert nur länger.</translation>
    </message>
    <message>
        <source>Batch size changed</source>
        <translation>Batchgröße geändert</translation>
    </message>
    <message>
        <source>Backend warning</source>
        <translation>Warnung des Backends</translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation>%1 konnte nicht geschrieben werden: %2</translation>
    </message>
</context>
<context>
    <name>SettingsPanel</name>
    <message>
        <source>Separation</source>
        <translation>Trennung</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>Gerät</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Overlap</source>
        <translation>Überlappung</translation>
    </message>
    <message>
        <source>Model&apos;s</source>
        <translation>Vom Modell</translation>
    </message>
    <message>
        <source>The model&apos;s own overlap</source>
        <translation>Die Überlappung des Modells</translation>
    </message>
    <message>
        <source>The overlap the model was measured at</source>
        <translation>Die Überlappung, mit der das Modell gemessen wurde</translation>
    </message>
    <message>
        <source>Soft masks</source>
        <translation>Weiche Masken</translation>
    </message>
    <message>
        <source>The model&apos;s soft masks</source>
        <translation>Die weichen Masken des Modells</translation>
    </message>
    <message>
        <source>Share the mix between the stems by their spectra, as the model&apos;s config asks. Off is faster, but a model trained with them, such as the bundled one, separates worse without</source>
        <translation>Verteilt den Mix nach den Spektren der Spuren, wie es die Konfiguration des Modells vorsieht. Aus ist schneller, aber ein damit trainiertes Modell wie das mitgelieferte trennt ohne sie schlechter</translation>
    </message>
    <message>
        <source>Stereo filter</source>
        <translation>Stereofilter</translation>
    </message>
    <message>
        <source>The model&apos;s stereo filter</source>
        <translation>Der Stereofilter des Modells</translation>
    </message>
    <message>
        <source>Tell the stems apart by where they sit in the stereo image (a multichannel Wiener filter), as the model&apos;s config asks. Off is faster, but a model trained with it, such as the bundled one, separates worse without</source>
        <translation>Unterscheidet die Spuren nach ihrem Platz im Stereobild (ein mehrkanaliges Wiener-Filter), wie es die Konfiguration des Modells vorsieht. Aus ist schneller, aber ein damit trainiertes Modell wie das mitgelieferte trennt ohne ihn schlechter</translation>
    </message>
    <message>
        <source>Extra passes</source>
        <translation>Zusätzliche Durchläufe</translation>
    </message>
    <message>
        <source>About 2x slower</source>
        <translation>Etwa 2x langsamer</translation>
    </message>
    <message>
        <source>Extra passes: the model also hears the audio mirrored and inverted</source>
        <translation>Zusätzliche Durchläufe: Das Modell hört den Ton auch gespiegelt und invertiert</translation>
    </message>
    <message>
        <source>The model also hears the audio with left and right swapped and with its polarity inverted, and the results are averaged (test-time augmentation). About twice the time; on the bundled drum model it measured no clear gain</source>
        <translation>Das Modell hört den Ton auch mit vertauschtem linkem und rechtem Kanal und mit umgekehrter Polarität, und die Ergebnisse werden gemittelt (Test-Time-Augmentation). Etwa doppelte Rechenzeit; beim mitgelieferten Schlagzeugmodell ohne messbaren Gewinn</translation>
    </message>
    <message>
        <source>More overlap is smoother and slower</source>
        <translation>Mehr Überlappung klingt glatter und dauert länger</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>Batchgröße</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>Automatisch</translation>
    </message>
    <message>
        <source>Automatic batch size</source>
        <translation>Automatische Batchgröße</translation>
    </message>
    <message>
        <source>Precision</source>
        <translation>Genauigkeit</translation>
    </message>
    <message>
        <source>Full (32-bit float)</source>
        <translation>Voll (32-Bit-Gleitkomma)</translation>
    </message>
    <message>
        <source>Half (16-bit float)</source>
        <translation>Halb (16-Bit-Gleitkomma)</translation>
    </message>
    <message>
        <source>Half (bfloat16)</source>
        <translation>Halb (bfloat16)</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Export</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>Format</translation>
    </message>
    <message>
        <source>Output format</source>
        <translation>Ausgabeformat</translation>
    </message>
    <message>
        <source>File names</source>
        <translation>Dateinamen</translation>
    </message>
    <message>
        <source>File name pattern</source>
        <translation>Dateinamenmuster</translation>
    </message>
    <message>
        <source>Example: %1</source>
        <translation>Beispiel: %1</translation>
    </message>
    <message>
        <source>Destination</source>
        <translation>Ziel</translation>
    </message>
    <message>
        <source>Next to the source file</source>
        <translation>Neben der Quelldatei</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Wählen…</translation>
    </message>
    <message>
        <source>Choose the export folder</source>
        <translation>Exportordner wählen</translation>
    </message>
    <message>
        <source>Stems</source>
        <translation>Spuren</translation>
    </message>
    <message>
        <source>Export %1</source>
        <translation>%1 exportieren</translation>
    </message>
    <message>
        <source>Choose a model to see its stems</source>
        <translation>Wählen Sie ein Modell, um seine Spuren zu sehen</translation>
    </message>
    <message>
        <source>Also export the residual (mix minus the chosen stems)</source>
        <translation>Auch den Rest exportieren (Mix ohne die gewählten Spuren)</translation>
    </message>
    <message>
        <source>Export the residual</source>
        <translation>Rest exportieren</translation>
    </message>
    <message>
        <source>Export automatically when a job ends</source>
        <translation>Automatisch exportieren, wenn ein Auftrag endet</translation>
    </message>
    <message>
        <source>Appearance</source>
        <translation>Darstellung</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>Design</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>Systemeinstellung</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Hell</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Dunkel</translation>
    </message>
</context>
<context>
    <name>StemPreviewPanel</name>
    <message>
        <source>Exported %1</source>
        <translation>%1 exportiert</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>Abspielen</translation>
    </message>
    <message>
        <source>Clear loop</source>
        <translation>Schleife aufheben</translation>
    </message>
    <message>
        <source>Loop %1 - %2</source>
        <translation>Schleife %1 – %2</translation>
    </message>
    <message>
        <source>Original (A/B)</source>
        <translation>Original (A/B)</translation>
    </message>
    <message>
        <source>Export all but muted</source>
        <translation>Hörbare Spuren exportieren</translation>
    </message>
    <message>
        <source>Loading stems...</source>
        <translation>Spuren werden geladen…</translation>
    </message>
    <message>
        <source>A finished job opens here: click it in the queue to hear its stems.</source>
        <translation>Ein fertiger Auftrag öffnet sich hier: Klicken Sie ihn in der Warteschlange an, um seine Spuren zu hören.</translation>
    </message>
    <message>
        <source>M</source>
        <extracomment>One-letter label of the mute button of a stem</extracomment>
        <translation>M</translation>
    </message>
    <message>
        <source>Mute %1</source>
        <translation>%1 stummschalten</translation>
    </message>
    <message>
        <source>S</source>
        <extracomment>One-letter label of the solo button of a stem</extracomment>
        <translation>S</translation>
    </message>
    <message>
        <source>Solo %1</source>
        <translation>%1 solo schalten</translation>
    </message>
    <message>
        <source>Volume of %1</source>
        <translation>Lautstärke von %1</translation>
    </message>
    <message>
        <source>Original mix</source>
        <translation>Originalmix</translation>
    </message>
    <message>
        <source>Exported %1 (%2)</source>
        <translation>%1 exportiert (%2)</translation>
    </message>
    <message>
        <source>Play the original mix (A/B)</source>
        <translation>Originalmischung abspielen (A/B)</translation>
    </message>
</context>
<context>
    <name>Toolbar</name>
    <message>
        <source>Open…</source>
        <translation>Öffnen…</translation>
    </message>
    <message>
        <source>Open audio files</source>
        <translation>Audiodateien öffnen</translation>
    </message>
    <message>
        <source>Open audio files (Ctrl+O)</source>
        <translation>Audiodateien öffnen (Strg+O)</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Starten</translation>
    </message>
    <message>
        <source>Start separating</source>
        <translation>Trennung starten</translation>
    </message>
    <message>
        <source>Separate the ready files (Ctrl+Return)</source>
        <translation>Bereitstehende Dateien trennen (Strg+Eingabe)</translation>
    </message>
    <message>
        <source>Cancel all</source>
        <translation>Alle abbrechen</translation>
    </message>
    <message>
        <source>Cancel all jobs</source>
        <translation>Alle Aufträge abbrechen</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Exportieren</translation>
    </message>
    <message>
        <source>Export finished jobs</source>
        <translation>Fertige Aufträge exportieren</translation>
    </message>
    <message>
        <source>Export finished jobs that are not exported yet (Ctrl+E)</source>
        <translation>Noch nicht exportierte fertige Aufträge exportieren (Strg+E)</translation>
    </message>
    <message>
        <source>Model: %1</source>
        <translation>Modell: %1</translation>
    </message>
    <message>
        <source>No model chosen</source>
        <translation>Kein Modell gewählt</translation>
    </message>
    <message>
        <source>About</source>
        <translation>Über</translation>
    </message>
    <message>
        <source>About StemDeck</source>
        <translation>Über StemDeck</translation>
    </message>
    <message>
        <source>Cancel queued and running jobs (Ctrl+Shift+X)</source>
        <translation>Wartende und laufende Aufträge abbrechen (Strg+Umschalt+X)</translation>
    </message>
    <message>
        <source>Add folder…</source>
        <translation>Ordner hinzufügen…</translation>
    </message>
    <message>
        <source>Add a folder of audio files</source>
        <translation>Einen Ordner mit Audiodateien hinzufügen</translation>
    </message>
    <message>
        <source>Add every audio file in a folder and its subfolders (Ctrl+Shift+O)</source>
        <translation>Alle Audiodateien eines Ordners und seiner Unterordner hinzufügen (Strg+Umschalt+O)</translation>
    </message>
</context>
<context>
    <name>UnsupportedFilesDialog</name>
    <message>
        <source>Some files were not added</source>
        <translation>Einige Dateien wurden nicht hinzugefügt</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) are not audio StemDeck can read, or no longer exist:</source>
        <translation>
            <numerusform>%n Datei ist kein Audio, das StemDeck lesen kann, oder existiert nicht mehr:</numerusform>
            <numerusform>%n Dateien sind kein Audio, das StemDeck lesen kann, oder existieren nicht mehr:</numerusform>
        </translation>
    </message>
    <message>
        <source>Files not added</source>
        <translation>Nicht hinzugefügte Dateien</translation>
    </message>
</context>
<context>
    <name>stemdeck::preview::StemPreview</name>
    <message>
        <source>The stem folder %1 does not exist.</source>
        <translation>Der Spurenordner %1 existiert nicht.</translation>
    </message>
    <message>
        <source>The folder %1 holds no audio files.</source>
        <translation>Der Ordner %1 enthält keine Audiodateien.</translation>
    </message>
    <message>
        <source>No audio output device was found, so playback is off. Waveforms, mute and solo, and export still work.</source>
        <translation>Es wurde kein Audioausgabegerät gefunden, daher ist die Wiedergabe aus. Wellenformen, Stumm und Solo sowie der Export funktionieren weiterhin.</translation>
    </message>
    <message>
        <source>The audio device %1 cannot play %2 Hz audio, so playback is off.</source>
        <translation>Das Audiogerät %1 kann kein Audio mit %2 Hz wiedergeben, daher ist die Wiedergabe aus.</translation>
    </message>
    <message>
        <source>The audio device could not be opened, so playback is off. Waveforms, mute and solo, and export still work.</source>
        <translation>Das Audiogerät konnte nicht geöffnet werden, daher ist die Wiedergabe aus. Wellenformen, Stumm und Solo sowie der Export funktionieren weiterhin.</translation>
    </message>
    <message>
        <source>An export is already running.</source>
        <translation>Ein Export läuft bereits.</translation>
    </message>
    <message>
        <source>No stems are loaded.</source>
        <translation>Es sind keine Spuren geladen.</translation>
    </message>
    <message>
        <source>Cannot export to %1: use a .wav, .flac, .ogg or .mp3 name.</source>
        <translation>Export nach %1 nicht möglich: Verwenden Sie einen Namen mit .wav, .flac, .ogg oder .mp3.</translation>
    </message>
</context>
<context>
    <name>stemdeck::ui::AppController</name>
    <message>
        <source>Separation is not available</source>
        <translation>Trennung ist nicht verfügbar</translation>
    </message>
    <message>
        <source>This build of StemDeck has no separation engine.</source>
        <translation>Diese StemDeck-Version enthält keine Trennungs-Engine.</translation>
    </message>
    <message>
        <source>The file name pattern is not valid</source>
        <translation>Das Dateinamenmuster ist ungültig</translation>
    </message>
    <message>
        <source>No model is chosen</source>
        <translation>Kein Modell gewählt</translation>
    </message>
    <message>
        <source>Choose the bundled model, import one or download one from the catalogue.</source>
        <translation>Wählen Sie das mitgelieferte Modell, importieren Sie eines oder laden Sie eines aus dem Katalog herunter.</translation>
    </message>
    <message>
        <source>It no longer exists: it was moved, renamed or deleted.</source>
        <translation>Die Datei existiert nicht mehr: Sie wurde verschoben, umbenannt oder gelöscht.</translation>
    </message>
    <message>
        <source>It holds no audio.</source>
        <translation>Die Datei enthält kein Audio.</translation>
    </message>
    <message>
        <source>It is damaged, cut short, or not audio that StemDeck reads (WAV, FLAC, Ogg, Opus, MP3, AIFF).</source>
        <translation>Die Datei ist beschädigt, unvollständig oder kein Audio, das StemDeck lesen kann (WAV, FLAC, Ogg, Opus, MP3, AIFF).</translation>
    </message>
    <message>
        <source>Its name is not valid UTF-8 (it was probably named on a system with another character set), so it cannot be opened. Rename it and add it again.</source>
        <translation>Der Dateiname ist kein gültiges UTF-8 (er wurde vermutlich auf einem System mit anderem Zeichensatz vergeben), daher kann die Datei nicht geöffnet werden. Benennen Sie sie um und fügen Sie sie erneut hinzu.</translation>
    </message>
    <message>
        <source>You do not have permission to read it.</source>
        <translation>Sie haben keine Berechtigung, die Datei zu lesen.</translation>
    </message>
    <message>
        <source>The model is no longer there</source>
        <translation>Das Modell ist nicht mehr vorhanden</translation>
    </message>
    <message>
        <source>The files of %1 were deleted or moved. Download or import it again, or choose another model; the jobs wait.</source>
        <translation>Die Dateien von %1 wurden gelöscht oder verschoben. Laden Sie es erneut herunter oder importieren Sie es erneut, oder wählen Sie ein anderes Modell; die Aufträge warten.</translation>
    </message>
</context>
<context>
    <name>stemdeck::ui::ErrorBannerModel</name>
    <message>
        <source>Retry</source>
        <translation>Wiederholen</translation>
    </message>
    <message>
        <source>Retry on CPU</source>
        <translation>Auf der CPU wiederholen</translation>
    </message>
    <message>
        <source>Use a smaller batch</source>
        <translation>Kleineren Batch verwenden</translation>
    </message>
    <message>
        <source>Choose another folder</source>
        <translation>Anderen Ordner wählen</translation>
    </message>
    <message>
        <source>Open folder</source>
        <translation>Ordner öffnen</translation>
    </message>
    <message>
        <source>Choose another model</source>
        <translation>Anderes Modell wählen</translation>
    </message>
    <message>
        <source>Show the file</source>
        <translation>Datei anzeigen</translation>
    </message>
    <message>
        <source>Copy report</source>
        <translation>Bericht kopieren</translation>
    </message>
</context>
<context>
    <name>stemdeck::ui::JobListModel</name>
    <message>
        <source>Ready</source>
        <translation>Bereit</translation>
    </message>
    <message>
        <source>Queued</source>
        <translation>Wartend</translation>
    </message>
    <message>
        <source>Separating</source>
        <translation>Wird getrennt</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Fertig</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <source>%1 left</source>
        <translation>noch %1</translation>
    </message>
    <message>
        <source>Exported</source>
        <translation>Exportiert</translation>
    </message>
    <message>
        <source>Not exported yet</source>
        <translation>Noch nicht exportiert</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) in %1</source>
        <translation>
            <numerusform>%n Datei in %1</numerusform>
            <numerusform>%n Dateien in %1</numerusform>
        </translation>
    </message>
    <message>
        <source>In %1</source>
        <translation>In %1</translation>
    </message>
</context>
<context>
    <name>stemdeck::ui::JobQueueBackend</name>
    <message>
        <source>%1 already exists; StemDeck does not overwrite files.</source>
        <translation>%1 existiert bereits; StemDeck überschreibt keine Dateien.</translation>
    </message>
    <message>
        <source>Cannot create the folder %1.</source>
        <translation>Der Ordner %1 kann nicht angelegt werden.</translation>
    </message>
    <message>
        <source>Cannot write %1: the folder may be read-only or the disk full.</source>
        <translation>%1 kann nicht geschrieben werden: Der Ordner ist vielleicht schreibgeschützt oder der Datenträger voll.</translation>
    </message>
    <message>
        <source>Export of %1 stopped</source>
        <translation>Export von %1 abgebrochen</translation>
    </message>
    <message>
        <source>The export folder is read-only</source>
        <translation>Der Exportordner ist schreibgeschützt</translation>
    </message>
    <message>
        <source>StemDeck cannot write into %1. Choose a folder you can write to.</source>
        <translation>StemDeck kann nicht in %1 schreiben. Wählen Sie einen Ordner, in den Sie schreiben dürfen.</translation>
    </message>
    <message>
        <source>The disk is full</source>
        <translation>Der Datenträger ist voll</translation>
    </message>
    <message>
        <source>There is not enough free space in %1 for the stems. Free some space or choose another folder.</source>
        <translation>In %1 ist nicht genug Platz für die Spuren. Geben Sie Speicherplatz frei oder wählen Sie einen anderen Ordner.</translation>
    </message>
    <message>
        <source>The stems of %1 already exist</source>
        <translation>Die Spuren von %1 existieren bereits</translation>
    </message>
    <message>
        <source>StemDeck never overwrites files. Choose another folder or file name pattern.</source>
        <translation>StemDeck überschreibt nie Dateien. Wählen Sie einen anderen Ordner oder ein anderes Dateinamenmuster.</translation>
    </message>
    <message>
        <source>Not enough memory to separate %1</source>
        <translation>Nicht genug Speicher, um %1 zu trennen</translation>
    </message>
    <message>
        <source>Use a smaller batch, close other programs, or separate on the CPU.</source>
        <translation>Verwenden Sie einen kleineren Batch, schließen Sie andere Programme oder trennen Sie auf der CPU.</translation>
    </message>
    <message>
        <source>The file is no longer where it was added: it was moved, renamed or deleted. Add it again from where it is now.</source>
        <translation>Die Datei ist nicht mehr dort, wo sie hinzugefügt wurde: Sie wurde verschoben, umbenannt oder gelöscht. Fügen Sie sie von ihrem jetzigen Ort aus erneut hinzu.</translation>
    </message>
    <message>
        <source>The file holds no audio. Export it again from the program that made it.</source>
        <translation>Die Datei enthält kein Audio. Exportieren Sie sie erneut aus dem Programm, das sie erstellt hat.</translation>
    </message>
    <message>
        <source>The file holds invalid samples (NaN or infinity), written by a faulty program. Export it again, or convert it with an audio editor.</source>
        <translation>Die Datei enthält ungültige Samples (NaN oder unendlich), die ein fehlerhaftes Programm geschrieben hat. Exportieren Sie sie erneut oder wandeln Sie sie mit einem Audio-Editor um.</translation>
    </message>
    <message>
        <source>The file is damaged, cut short, or not audio that StemDeck reads (WAV, FLAC, Ogg, Opus, MP3, AIFF). Open it in an audio editor or converter and save it again, then retry.</source>
        <translation>Die Datei ist beschädigt, unvollständig oder kein Audio, das StemDeck liest (WAV, FLAC, Ogg, Opus, MP3, AIFF). Öffnen Sie sie in einem Audio-Editor oder Konverter, speichern Sie sie erneut und versuchen Sie es dann noch einmal.</translation>
    </message>
    <message>
        <source>The device failed while separating %1</source>
        <translation>Das Gerät ist beim Trennen von %1 ausgefallen</translation>
    </message>
    <message>
        <source>Cannot read %1</source>
        <translation>%1 kann nicht gelesen werden</translation>
    </message>
    <message>
        <source>The model cannot be used</source>
        <translation>Das Modell kann nicht verwendet werden</translation>
    </message>
    <message>
        <source>A stem of %1 would clip</source>
        <translation>Eine Spur von %1 würde übersteuern</translation>
    </message>
    <message>
        <source>Choose 32-bit float WAV to keep the full level.</source>
        <translation>Wählen Sie WAV 32-Bit-Gleitkomma, um den vollen Pegel zu behalten.</translation>
    </message>
    <message>
        <source>Separating %1 failed</source>
        <translation>Trennen von %1 fehlgeschlagen</translation>
    </message>
</context>
<context>
    <name>stemdeck::ui::ModelCatalogue</name>
    <message>
        <source>%1: the file does not exist.</source>
        <translation>%1: Die Datei existiert nicht.</translation>
    </message>
    <message>
        <source>%1: not a checkpoint (.ckpt or .safetensors).</source>
        <translation>%1: kein Checkpoint (.ckpt oder .safetensors).</translation>
    </message>
    <message>
        <source>%1: the file is empty.</source>
        <translation>%1: Die Datei ist leer.</translation>
    </message>
    <message>
        <source>%1: not a model configuration (.yaml).</source>
        <translation>%1: keine Modellkonfiguration (.yaml).</translation>
    </message>
    <message>
        <source>%1: cannot be read (%2).</source>
        <translation>%1: kann nicht gelesen werden (%2).</translation>
    </message>
    <message>
        <source>%1: the configuration names no stems (training.instruments).</source>
        <translation>%1: Die Konfiguration nennt keine Spuren (training.instruments).</translation>
    </message>
    <message numerus="yes">
        <source>%n stem(s)</source>
        <translation>
            <numerusform>%n Spur</numerusform>
            <numerusform>%n Spuren</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 Hz</source>
        <translation>%1 Hz</translation>
    </message>
    <message>
        <source>%1 M parameters</source>
        <translation>%1 Mio. Parameter</translation>
    </message>
    <message>
        <source>Bundled with StemDeck</source>
        <translation>Mit StemDeck geliefert</translation>
    </message>
    <message>
        <source>Choose a checkpoint (.ckpt or .safetensors) together with its .yaml.</source>
        <translation>Wählen Sie einen Checkpoint (.ckpt oder .safetensors) zusammen mit seiner .yaml.</translation>
    </message>
    <message>
        <source>%1 needs its configuration: select the .yaml file too.</source>
        <translation>%1 braucht seine Konfiguration: Wählen Sie auch die .yaml-Datei.</translation>
    </message>
    <message>
        <source>The downloaded model cannot be used, so it was deleted: %1</source>
        <translation>Das heruntergeladene Modell ist nicht verwendbar und wurde gelöscht: %1</translation>
    </message>
    <message>
        <source>Another StemDeck window is downloading this model; discard it there.</source>
        <translation>Ein anderes StemDeck-Fenster lädt dieses Modell herunter; verwerfen Sie den Download dort.</translation>
    </message>
</context>
<context>
    <name>stemdeck::ui::ModelDownloader</name>
    <message>
        <source>%1 already exists; StemDeck does not overwrite models.</source>
        <translation>%1 existiert bereits; StemDeck überschreibt keine Modelle.</translation>
    </message>
    <message>
        <source>Cannot create the folder %1.</source>
        <translation>Der Ordner %1 kann nicht angelegt werden.</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <source>Download of %1 stopped: %2</source>
        <translation>Download von %1 abgebrochen: %2</translation>
    </message>
    <message>
        <source>Download of %1 stopped after %2 of %3 bytes; it will resume.</source>
        <translation>Download von %1 nach %2 von %3 Bytes unterbrochen; er wird fortgesetzt.</translation>
    </message>
    <message>
        <source>%1 is larger than published (%2 bytes, expected %3); it was deleted.</source>
        <translation>%1 ist größer als angegeben (%2 Bytes, erwartet %3); die Datei wurde gelöscht.</translation>
    </message>
    <message>
        <source>%1 does not match its published SHA-256 checksum (got %2); the file was deleted.</source>
        <translation>%1 passt nicht zu seiner veröffentlichten SHA-256-Prüfsumme (erhalten: %2); die Datei wurde gelöscht.</translation>
    </message>
    <message>
        <source>Cannot move the download into place at %1.</source>
        <translation>Der Download kann nicht nach %1 verschoben werden.</translation>
    </message>
    <message>
        <source>The server resumed %1 at another place than asked; the partial download was deleted. Start the download again.</source>
        <translation>Der Server hat %1 an einer anderen Stelle fortgesetzt als angefordert; der unvollständige Download wurde gelöscht. Starten Sie den Download erneut.</translation>
    </message>
    <message>
        <source>The partial download of %1 does not fit the file the server has now; it was deleted. Start the download again.</source>
        <translation>Der unvollständige Download von %1 passt nicht zur Datei, die der Server jetzt hat; er wurde gelöscht. Starten Sie den Download erneut.</translation>
    </message>
    <message>
        <source>Download of %1 stalled: nothing arrived for %2 s. Start it again to resume.</source>
        <translation>Der Download von %1 stockt: %2 s lang kam nichts an. Starten Sie ihn erneut, um fortzusetzen.</translation>
    </message>
    <message>
        <source>%1 is being downloaded by another StemDeck window. Let it finish there, or close that window and try again.</source>
        <translation>%1 wird von einem anderen StemDeck-Fenster heruntergeladen. Lassen Sie den Download dort abschließen, oder schließen Sie das Fenster und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>Cannot write in the folder %1.</source>
        <translation>In den Ordner %1 kann nicht geschrieben werden.</translation>
    </message>
</context>
<context>
    <name>stemdeck::ui::SettingsModel</name>
    <message>
        <source>The pattern needs {stem}, or every stem would get the same name.</source>
        <translation>Das Muster braucht {stem}, sonst bekämen alle Spuren denselben Namen.</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>Automatisch</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>WAV, 16-bit</source>
        <translation>WAV, 16 Bit</translation>
    </message>
    <message>
        <source>WAV, 24-bit</source>
        <translation>WAV, 24 Bit</translation>
    </message>
    <message>
        <source>WAV, 32-bit float</source>
        <translation>WAV, 32-Bit-Gleitkomma</translation>
    </message>
    <message>
        <source>FLAC, 16-bit</source>
        <translation>FLAC, 16 Bit</translation>
    </message>
    <message>
        <source>FLAC, 24-bit</source>
        <translation>FLAC, 24 Bit</translation>
    </message>
    <message>
        <source>MP3, variable bit rate (V0)</source>
        <translation>MP3, variable Bitrate (V0)</translation>
    </message>
    <message>
        <source>MP3, 320 kbit/s</source>
        <translation>MP3, 320 kbit/s</translation>
    </message>
    <message>
        <source>Ogg Vorbis</source>
        <translation>Ogg Vorbis</translation>
    </message>
</context>
<context>
    <name>stemdeck::ui::Translator</name>
    <message>
        <source>System language</source>
        <translation>Systemsprache</translation>
    </message>
</context>
</TS>
