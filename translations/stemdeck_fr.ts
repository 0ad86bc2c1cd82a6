<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR" sourcelanguage="en">
<context>
    <name>AboutDialog</name>
    <message>
        <source>About StemDeck</source>
        <translation>À propos de StemDeck</translation>
    </message>
    <message>
        <source>StemDeck %1</source>
        <translation>StemDeck %1</translation>
    </message>
    <message>
        <source>Separates music into stems with MDX23C models, on your own computer.</source>
        <translation>Sépare la musique en pistes avec des modèles MDX23C, sur votre propre ordinateur.</translation>
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
        <translation>inconnue</translation>
    </message>
    <message>
        <source>Credits for bundled data</source>
        <translation>Crédits des données fournies</translation>
    </message>
    <message>
        <source>Licence: GNU GPL version 3 or later. Models you download keep their authors&apos; licences.</source>
        <translation>Licence : GNU GPL version 3 ou ultérieure. Les modèles téléchargés conservent la licence de leurs auteurs.</translation>
    </message>
</context>
<context>
    <name>DropOverlay</name>
    <message>
        <source>Drop to add to the queue</source>
        <translation>Déposez pour ajouter à la file d&apos;attente</translation>
    </message>
</context>
<context>
    <name>ErrorBanner</name>
    <message numerus="yes">
        <source>%n more</source>
        <translation>
            <numerusform>%n autre problème</numerusform>
            <numerusform>%n autres problèmes</numerusform>
        </translation>
    </message>
    <message>
        <source>Dismiss the error</source>
        <translation>Fermer l&apos;erreur</translation>
    </message>
    <message>
        <source>Hide details</source>
        <translation>Masquer les détails</translation>
    </message>
    <message>
        <source>Show details</source>
        <translation>Afficher les détails</translation>
    </message>
    <message>
        <source>Copy report</source>
        <translation>Copier le rapport</translation>
    </message>
    <message>
        <source>Copy an error report to the clipboard</source>
        <translation>Copier un rapport d&apos;erreur dans le presse-papiers</translation>
    </message>
    <message>
        <source>Error details</source>
        <translation>Détails de l&apos;erreur</translation>
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
        <translation>Progression de %1</translation>
    </message>
    <message>
        <source>%1 %2%</source>
        <translation>%1 %2 %</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Cancel %1</source>
        <translation>Annuler %1</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Réessayer</translation>
    </message>
    <message>
        <source>Retry %1</source>
        <translation>Réessayer %1</translation>
    </message>
    <message>
        <source>Retry on CPU</source>
        <translation>Réessayer sur le CPU</translation>
    </message>
    <message>
        <source>Retry %1 on the CPU</source>
        <translation>Réessayer %1 sur le CPU</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Exporter</translation>
    </message>
    <message>
        <source>Export %1</source>
        <translation>Exporter %1</translation>
    </message>
    <message>
        <source>Show files</source>
        <translation>Afficher les fichiers</translation>
    </message>
    <message>
        <source>Show the stems of %1</source>
        <translation>Afficher les pistes de %1</translation>
    </message>
    <message>
        <source>Remove %1 from the list</source>
        <translation>Retirer %1 de la liste</translation>
    </message>
    <message>
        <source>Remove from the list</source>
        <translation>Retirer de la liste</translation>
    </message>
</context>
<context>
    <name>JobListPanel</name>
    <message>
        <source>Queue</source>
        <translation>File d&apos;attente</translation>
    </message>
    <message>
        <source>%1 ready · %2 in progress · %3 done</source>
        <translation>Prêts : %1 · En cours : %2 · Terminés : %3</translation>
    </message>
    <message>
        <source>%1 ready · %2 in progress · %3 done · %4 failed</source>
        <translation>Prêts : %1 · En cours : %2 · Terminés : %3 · En échec : %4</translation>
    </message>
    <message>
        <source>Clear finished</source>
        <translation>Retirer les terminés</translation>
    </message>
    <message>
        <source>Remove finished, failed and cancelled jobs</source>
        <translation>Retirer les tâches terminées, échouées et annulées</translation>
    </message>
    <message>
        <source>Overall progress</source>
        <translation>Progression globale</translation>
    </message>
    <message>
        <source>Jobs</source>
        <translation>Tâches</translation>
    </message>
    <message>
        <source>Drop audio files or folders anywhere on this window</source>
        <translation>Déposez des fichiers audio ou des dossiers n&apos;importe où dans cette fenêtre</translation>
    </message>
    <message>
        <source>WAV, FLAC, Ogg, Opus, MP3 and AIFF are read. Folders are searched recursively.</source>
        <translation>WAV, FLAC, Ogg, Opus, MP3 et AIFF sont lus. Les dossiers sont parcourus récursivement.</translation>
    </message>
    <message>
        <source>Open audio files…</source>
        <translation>Ouvrir des fichiers audio…</translation>
    </message>
    <message>
        <source>Separate the demo loop</source>
        <translation>Séparer la boucle de démo</translation>
    </message>
    <message>
        <source>Separates the drum loop bundled with StemDeck and opens its stems in the preview</source>
        <translation>Sépare la boucle de batterie fournie avec StemDeck et ouvre ses pistes dans l’aperçu</translation>
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
        <translation>Réglages</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>Modèles</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>Aperçu</translation>
    </message>
    <message>
        <source>Profile</source>
        <translation>Profilage</translation>
    </message>
    <message>
        <source>Open audio files</source>
        <translation>Ouvrir des fichiers audio</translation>
    </message>
    <message>
        <source>Audio files (%1)</source>
        <translation>Fichiers audio (%1)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>Choose the export folder</source>
        <translation>Choisir le dossier d&apos;export</translation>
    </message>
    <message>
        <source>Add a folder of audio files</source>
        <translation>Ajouter un dossier de fichiers audio</translation>
    </message>
</context>
<context>
    <name>ModelPanel</name>
    <message>
        <source>Models</source>
        <translation>Modèles</translation>
    </message>
    <message>
        <source>Bundled</source>
        <translation>Fourni</translation>
    </message>
    <message>
        <source>Imported</source>
        <translation>Importé</translation>
    </message>
    <message>
        <source>Downloaded</source>
        <translation>Téléchargé</translation>
    </message>
    <message>
        <source>Stems: %1</source>
        <translation>Pistes : %1</translation>
    </message>
    <message>
        <source>Download progress of %1</source>
        <translation>Progression du téléchargement de %1</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>Télécharger</translation>
    </message>
    <message>
        <source>Pause the download of %1</source>
        <translation>Mettre en pause le téléchargement de %1</translation>
    </message>
    <message>
        <source>Download %1</source>
        <translation>Télécharger %1</translation>
    </message>
    <message>
        <source>Import model…</source>
        <translation>Importer un modèle…</translation>
    </message>
    <message>
        <source>Import a model checkpoint and its configuration</source>
        <translation>Importer un checkpoint de modèle et sa configuration</translation>
    </message>
    <message>
        <source>Select the .ckpt or .safetensors file and its .yaml together.</source>
        <translation>Sélectionnez ensemble le fichier .ckpt ou .safetensors et son .yaml.</translation>
    </message>
    <message>
        <source>Import a model</source>
        <translation>Importer un modèle</translation>
    </message>
    <message>
        <source>Model files (*.ckpt *.safetensors *.yaml *.yml)</source>
        <translation>Fichiers de modèle (*.ckpt *.safetensors *.yaml *.yml)</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>Abandonner</translation>
    </message>
    <message>
        <source>Delete the partial download of %1</source>
        <translation>Supprimer le téléchargement partiel de %1</translation>
    </message>
    <message>
        <source>Delete what was downloaded so far</source>
        <translation>Supprimer ce qui a déjà été téléchargé</translation>
    </message>
</context>
<context>
    <name>ProfilingPanel</name>
    <message>
        <source>Load model</source>
        <translation>Chargement du modèle</translation>
    </message>
    <message>
        <source>Decode</source>
        <translation>Décodage</translation>
    </message>
    <message>
        <source>Resample</source>
        <translation>Rééchantillonnage</translation>
    </message>
    <message>
        <source>Warm-up</source>
        <translation>Préchauffage</translation>
    </message>
    <message>
        <source>Transfer</source>
        <translation>Transfert</translation>
    </message>
    <message>
        <source>STFT</source>
        <translation>STFT</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modèle</translation>
    </message>
    <message>
        <source>iSTFT</source>
        <translation>iSTFT</translation>
    </message>
    <message>
        <source>Overlap-add</source>
        <translation>Recouvrement-addition</translation>
    </message>
    <message>
        <source>Encode</source>
        <translation>Encodage</translation>
    </message>
    <message>
        <source>Write</source>
        <translation>Écriture</translation>
    </message>
    <message>
        <source>n/a</source>
        <translation>n/d</translation>
    </message>
    <message>
        <source>Device: %1</source>
        <translation>Appareil : %1</translation>
    </message>
    <message>
        <source>%1x real-time</source>
        <translation>%1× temps réel</translation>
    </message>
    <message>
        <source>Warm-up %1 s</source>
        <translation>Préchauffage %1 s</translation>
    </message>
    <message>
        <source>Batch %1 (%2 batches)</source>
        <translation>Lot %1 (%2 lots)</translation>
    </message>
    <message>
        <source>Wall %1 s</source>
        <translation>Durée %1 s</translation>
    </message>
    <message>
        <source>Export Chrome trace</source>
        <translation>Exporter la trace Chrome</translation>
    </message>
    <message>
        <source>Trace written to %1 (open it in ui.perfetto.dev)</source>
        <translation>Trace écrite dans %1 (à ouvrir dans ui.perfetto.dev)</translation>
    </message>
    <message>
        <source>Export summary</source>
        <translation>Exporter le résumé</translation>
    </message>
    <message>
        <source>No job profiled yet: start a separation to see where its time and memory go.</source>
        <translation>Aucune tâche mesurée pour l&apos;instant : lancez une séparation pour voir où vont le temps et la mémoire.</translation>
    </message>
    <message>
        <source>Summary written to %1</source>
        <translation>Résumé écrit dans %1</translation>
    </message>
    <message>
        <source>Time per stage</source>
        <translation>Temps par étape</translation>
    </message>
    <message>
        <source>Throughput (x real-time), peak %1</source>
        <translation>Débit (× temps réel), pic %1</translation>
    </message>
    <message>
        <source>Memory peaks: process (blue) %1, device (orange) %2; budget (red) %3</source>
        <translation>Pics de mémoire : processus (bleu) %1, appareil (orange) %2 ; budget (rouge) %3</translation>
    </message>
    <message>
        <source>Batch changes, fallbacks and warnings</source>
        <translation>Changements de lot, replis et avertissements</translation>
    </message>
    <message>
        <source>%1 MiB</source>
        <translation>%1 Mio</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 s  %2: %3</source>
        <translation>%1 s  %2 : %3</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>Work moved to another device</source>
        <translation>Travail déplacé vers un autre appareil</translation>
    </message>
    <message>
        <source>The job goes on there; results are the same, only slower.</source>
        <translation>La tâche continue là-bas ; le résultat est identique, mais le traitement est plus lent.</translation>
    </message>
    <message>
        <source>Batch size changed</source>
        <translation>Taille de lot modifiée</translation>
    </message>
    <message>
        <source>Backend warning</source>
        <translation>Avertissement du moteur</translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation>Impossible d’écrire %1 : %2</translation>
    </message>
</context>
<context>
    <name>SettingsPanel</name>
    <message>
        <source>Separation</source>
        <translation>Séparation</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>Appareil</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Overlap</source>
        <translation>Chevauchement</translation>
    </message>
    <message>
        <source>Model&apos;s</source>
        <translation>Du modèle</translation>
    </message>
    <message>
        <source>The model&apos;s own overlap</source>
        <translation>Le chevauchement propre au modèle</translation>
    </message>
    <message>
        <source>The overlap the model was measured at</source>
        <translation>Le chevauchement auquel le modèle a été mesuré</translation>
    </message>
    <message>
        <source>Soft masks</source>
        <translation>Masques doux</translation>
    </message>
    <message>
        <source>The model&apos;s soft masks</source>
        <translation>Les masques doux du modèle</translation>
    </message>
    <message>
        <source>Share the mix between the stems by their spectra, as the model&apos;s config asks. Off is faster, but a model trained with them, such as the bundled one, separates worse without</source>
        <translation>Répartit le mixage entre les pistes selon leurs spectres, comme le demande la configuration du modèle. Désactivé, c&apos;est plus rapide, mais un modèle entraîné avec eux, comme celui fourni, sépare moins bien sans eux</translation>
    </message>
    <message>
        <source>Stereo filter</source>
        <translation>Filtre stéréo</translation>
    </message>
    <message>
        <source>The model&apos;s stereo filter</source>
        <translation>Le filtre stéréo du modèle</translation>
    </message>
    <message>
        <source>Tell the stems apart by where they sit in the stereo image (a multichannel Wiener filter), as the model&apos;s config asks. Off is faster, but a model trained with it, such as the bundled one, separates worse without</source>
        <translation>Distingue les pistes par leur place dans l&apos;image stéréo (un filtre de Wiener multicanal), comme le demande la configuration du modèle. Désactivé, c&apos;est plus rapide, mais un modèle entraîné avec ce filtre, comme celui fourni, sépare moins bien sans lui</translation>
    </message>
    <message>
        <source>Extra passes</source>
        <translation>Passes supplémentaires</translation>
    </message>
    <message>
        <source>About 2x slower</source>
        <translation>Environ 2x plus lent</translation>
    </message>
    <message>
        <source>Extra passes: the model also hears the audio mirrored and inverted</source>
        <translation>Passes supplémentaires : le modèle entend aussi l&apos;audio en miroir et inversé</translation>
    </message>
    <message>
        <source>The model also hears the audio with left and right swapped and with its polarity inverted, and the results are averaged (test-time augmentation). About twice the time; on the bundled drum model it measured no clear gain</source>
        <translation>Le modèle entend aussi l&apos;audio avec la gauche et la droite échangées et avec la polarité inversée, et les résultats sont moyennés (augmentation au moment du test). Environ deux fois plus de temps ; sur le modèle de batterie fourni, aucun gain net n&apos;a été mesuré</translation>
    </message>
    <message>
        <source>More overlap is smoother and slower</source>
        <translation>Plus de chevauchement : plus lisse mais plus lent</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>Taille de lot</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>Automatique</translation>
    </message>
    <message>
        <source>Automatic batch size</source>
        <translation>Taille de lot automatique</translation>
    </message>
    <message>
        <source>Precision</source>
        <translation>Précision</translation>
    </message>
    <message>
        <source>Full (32-bit float)</source>
        <translation>Complète (flottant 32 bits)</translation>
    </message>
    <message>
        <source>Half (16-bit float)</source>
        <translation>Demi (flottant 16 bits)</translation>
    </message>
    <message>
        <source>Half (bfloat16)</source>
        <translation>Demi (bfloat16)</translation>
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
        <translation>Format de sortie</translation>
    </message>
    <message>
        <source>File names</source>
        <translation>Noms de fichier</translation>
    </message>
    <message>
        <source>File name pattern</source>
        <translation>Motif de nom de fichier</translation>
    </message>
    <message>
        <source>Example: %1</source>
        <translation>Exemple : %1</translation>
    </message>
    <message>
        <source>Destination</source>
        <translation>Destination</translation>
    </message>
    <message>
        <source>Next to the source file</source>
        <translation>À côté du fichier source</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Choisir…</translation>
    </message>
    <message>
        <source>Choose the export folder</source>
        <translation>Choisir le dossier d&apos;export</translation>
    </message>
    <message>
        <source>Stems</source>
        <translation>Pistes</translation>
    </message>
    <message>
        <source>Export %1</source>
        <translation>Exporter %1</translation>
    </message>
    <message>
        <source>Choose a model to see its stems</source>
        <translation>Choisissez un modèle pour voir ses pistes</translation>
    </message>
    <message>
        <source>Also export the residual (mix minus the chosen stems)</source>
        <translation>Exporter aussi le résidu (mixage moins les pistes choisies)</translation>
    </message>
    <message>
        <source>Export the residual</source>
        <translation>Exporter le résidu</translation>
    </message>
    <message>
        <source>Export automatically when a job ends</source>
        <translation>Exporter automatiquement à la fin d&apos;une tâche</translation>
    </message>
    <message>
        <source>Appearance</source>
        <translation>Apparence</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Langue</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>Thème</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>Comme le système</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Clair</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Sombre</translation>
    </message>
</context>
<context>
    <name>StemPreviewPanel</name>
    <message>
        <source>Exported %1</source>
        <translation>%1 exporté</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>Lecture</translation>
    </message>
    <message>
        <source>Clear loop</source>
        <translation>Effacer la boucle</translation>
    </message>
    <message>
        <source>Loop %1 - %2</source>
        <translation>Boucle %1 – %2</translation>
    </message>
    <message>
        <source>Original (A/B)</source>
        <translation>Original (A/B)</translation>
    </message>
    <message>
        <source>Export all but muted</source>
        <translation>Exporter les pistes audibles</translation>
    </message>
    <message>
        <source>Loading stems...</source>
        <translation>Chargement des pistes…</translation>
    </message>
    <message>
        <source>A finished job opens here: click it in the queue to hear its stems.</source>
        <translation>Une tâche terminée s&apos;ouvre ici : cliquez dessus dans la file pour écouter ses pistes.</translation>
    </message>
    <message>
        <source>M</source>
        <extracomment>One-letter label of the mute button of a stem</extracomment>
        <translation>M</translation>
    </message>
    <message>
        <source>Mute %1</source>
        <translation>Couper le son de %1</translation>
    </message>
    <message>
        <source>S</source>
        <extracomment>One-letter label of the solo button of a stem</extracomment>
        <translation>S</translation>
    </message>
    <message>
        <source>Solo %1</source>
        <translation>Mettre %1 en solo</translation>
    </message>
    <message>
        <source>Volume of %1</source>
        <translation>Volume de %1</translation>
    </message>
    <message>
        <source>Original mix</source>
        <translation>Mixage original</translation>
    </message>
    <message>
        <source>Exported %1 (%2)</source>
        <translation>%1 exporté (%2)</translation>
    </message>
    <message>
        <source>Play the original mix (A/B)</source>
        <translation>Écouter le mixage original (A/B)</translation>
    </message>
</context>
<context>
    <name>Toolbar</name>
    <message>
        <source>Open…</source>
        <translation>Ouvrir…</translation>
    </message>
    <message>
        <source>Open audio files</source>
        <translation>Ouvrir des fichiers audio</translation>
    </message>
    <message>
        <source>Open audio files (Ctrl+O)</source>
        <translation>Ouvrir des fichiers audio (Ctrl+O)</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Démarrer</translation>
    </message>
    <message>
        <source>Start separating</source>
        <translation>Lancer la séparation</translation>
    </message>
    <message>
        <source>Separate the ready files (Ctrl+Return)</source>
        <translation>Séparer les fichiers prêts (Ctrl+Entrée)</translation>
    </message>
    <message>
        <source>Cancel all</source>
        <translation>Tout annuler</translation>
    </message>
    <message>
        <source>Cancel all jobs</source>
        <translation>Annuler toutes les tâches</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Exporter</translation>
    </message>
    <message>
        <source>Export finished jobs</source>
        <translation>Exporter les tâches terminées</translation>
    </message>
    <message>
        <source>Export finished jobs that are not exported yet (Ctrl+E)</source>
        <translation>Exporter les tâches terminées pas encore exportées (Ctrl+E)</translation>
    </message>
    <message>
        <source>Model: %1</source>
        <translation>Modèle : %1</translation>
    </message>
    <message>
        <source>No model chosen</source>
        <translation>Aucun modèle choisi</translation>
    </message>
    <message>
        <source>About</source>
        <translation>À propos</translation>
    </message>
    <message>
        <source>About StemDeck</source>
        <translation>À propos de StemDeck</translation>
    </message>
    <message>
        <source>Cancel queued and running jobs (Ctrl+Shift+X)</source>
        <translation>Annuler les tâches en attente et en cours (Ctrl+Maj+X)</translation>
    </message>
    <message>
        <source>Add folder…</source>
        <translation>Ajouter un dossier…</translation>
    </message>
    <message>
        <source>Add a folder of audio files</source>
        <translation>Ajouter un dossier de fichiers audio</translation>
    </message>
    <message>
        <source>Add every audio file in a folder and its subfolders (Ctrl+Shift+O)</source>
        <translation>Ajouter tous les fichiers audio d&apos;un dossier et de ses sous-dossiers (Ctrl+Maj+O)</translation>
    </message>
</context>
<context>
    <name>UnsupportedFilesDialog</name>
    <message>
        <source>Some files were not added</source>
        <translation>Certains fichiers n&apos;ont pas été ajoutés</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) are not audio StemDeck can read, or no longer exist:</source>
        <translation>
            <numerusform>%n fichier n&apos;est pas un fichier audio lisible par StemDeck ou n&apos;existe plus :</numerusform>
            <numerusform>%n fichiers ne sont pas des fichiers audio lisibles par StemDeck ou n&apos;existent plus :</numerusform>
        </translation>
    </message>
    <message>
        <source>Files not added</source>
        <translation>Fichiers non ajoutés</translation>
    </message>
</context>
<context>
    <name>stemdeck::preview::StemPreview</name>
    <message>
        <source>The stem folder %1 does not exist.</source>
        <translation>Le dossier de pistes %1 n’existe pas.</translation>
    </message>
    <message>
        <source>The folder %1 holds no audio files.</source>
        <translation>Le dossier %1 ne contient aucun fichier audio.</translation>
    </message>
    <message>
        <source>No audio output device was found, so playback is off. Waveforms, mute and solo, and export still work.</source>
        <translation>Aucun périphérique de sortie audio n&apos;a été trouvé : la lecture est désactivée. Les formes d&apos;onde, la coupure du son, le solo et l&apos;export fonctionnent toujours.</translation>
    </message>
    <message>
        <source>The audio device %1 cannot play %2 Hz audio, so playback is off.</source>
        <translation>Le périphérique audio %1 ne peut pas lire de l’audio à %2 Hz : la lecture est désactivée.</translation>
    </message>
    <message>
        <source>The audio device could not be opened, so playback is off. Waveforms, mute and solo, and export still work.</source>
        <translation>Le périphérique audio n&apos;a pas pu être ouvert : la lecture est désactivée. Les formes d&apos;onde, la coupure du son, le solo et l&apos;export fonctionnent toujours.</translation>
    </message>
    <message>
        <source>An export is already running.</source>
        <translation>Un export est déjà en cours.</translation>
    </message>
    <message>
        <source>No stems are loaded.</source>
        <translation>Aucune piste n’est chargée.</translation>
    </message>
    <message>
        <source>Cannot export to %1: use a .wav, .flac, .ogg or .mp3 name.</source>
        <translation>Impossible d’exporter vers %1 : utilisez un nom en .wav, .flac, .ogg ou .mp3.</translation>
    </message>
</context>
<context>
    <name>stemdeck::ui::AppController</name>
    <message>
        <source>Separation is not available</source>
        <translation>La séparation n&apos;est pas disponible</translation>
    </message>
    <message>
        <source>This build of StemDeck has no separation engine.</source>
        <translation>Cette version de StemDeck n&apos;a pas de moteur de séparation.</translation>
    </message>
    <message>
        <source>The file name pattern is not valid</source>
        <translation>Le motif de nom de fichier n&apos;est pas valide</translation>
    </message>
    <message>
        <source>No model is chosen</source>
        <translation>Aucun modèle n&apos;est choisi</translation>
    </message>
    <message>
        <source>Choose the bundled model, import one or download one from the catalogue.</source>
        <translation>Choisissez le modèle fourni, importez-en un ou téléchargez-en un depuis le catalogue.</translation>
    </message>
    <message>
        <source>It no longer exists: it was moved, renamed or deleted.</source>
        <translation>Le fichier n&apos;existe plus : il a été déplacé, renommé ou supprimé.</translation>
    </message>
    <message>
        <source>It holds no audio.</source>
        <translation>Le fichier ne contient pas d&apos;audio.</translation>
    </message>
    <message>
        <source>It is damaged, cut short, or not audio that StemDeck reads (WAV, FLAC, Ogg, Opus, MP3, AIFF).</source>
        <translation>Le fichier est endommagé, tronqué ou n&apos;est pas dans un format audio que StemDeck sait lire (WAV, FLAC, Ogg, Opus, MP3, AIFF).</translation>
    </message>
    <message>
        <source>Its name is not valid UTF-8 (it was probably named on a system with another character set), so it cannot be opened. Rename it and add it again.</source>
        <translation>Son nom n&apos;est pas en UTF-8 valide (il a sans doute été donné sur un système utilisant un autre jeu de caractères) : le fichier ne peut pas être ouvert. Renommez-le, puis ajoutez-le à nouveau.</translation>
    </message>
    <message>
        <source>You do not have permission to read it.</source>
        <translation>Vous n&apos;avez pas l&apos;autorisation de lire ce fichier.</translation>
    </message>
    <message>
        <source>The model is no longer there</source>
        <translation>Le modèle n&apos;est plus là</translation>
    </message>
    <message>
        <source>The files of %1 were deleted or moved. Download or import it again, or choose another model; the jobs wait.</source>
        <translation>Les fichiers de %1 ont été supprimés ou déplacés. Téléchargez-le ou importez-le à nouveau, ou choisissez un autre modèle ; les tâches attendent.</translation>
    </message>
</context>
<context>
    <name>stemdeck::ui::ErrorBannerModel</name>
    <message>
        <source>Retry</source>
        <translation>Réessayer</translation>
    </message>
    <message>
        <source>Retry on CPU</source>
        <translation>Réessayer sur le CPU</translation>
    </message>
    <message>
        <source>Use a smaller batch</source>
        <translation>Utiliser un lot plus petit</translation>
    </message>
    <message>
        <source>Choose another folder</source>
        <translation>Choisir un autre dossier</translation>
    </message>
    <message>
        <source>Open folder</source>
        <translation>Ouvrir le dossier</translation>
    </message>
    <message>
        <source>Choose another model</source>
        <translation>Choisir un autre modèle</translation>
    </message>
    <message>
        <source>Show the file</source>
        <translation>Afficher le fichier</translation>
    </message>
    <message>
        <source>Copy report</source>
        <translation>Copier le rapport</translation>
    </message>
</context>
<context>
    <name>stemdeck::ui::JobListModel</name>
    <message>
        <source>Ready</source>
        <translation>Prêt</translation>
    </message>
    <message>
        <source>Queued</source>
        <translation>En attente</translation>
    </message>
    <message>
        <source>Separating</source>
        <translation>Séparation</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Terminé</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Échec</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Annulé</translation>
    </message>
    <message>
        <source>%1 left</source>
        <translation>reste %1</translation>
    </message>
    <message>
        <source>Exported</source>
        <translation>Exporté</translation>
    </message>
    <message>
        <source>Not exported yet</source>
        <translation>Pas encore exporté</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) in %1</source>
        <translation>
            <numerusform>%n fichier dans %1</numerusform>
            <numerusform>%n fichiers dans %1</numerusform>
        </translation>
    </message>
    <message>
        <source>In %1</source>
        <translation>Dans %1</translation>
    </message>
</context>
<context>
    <name>stemdeck::ui::JobQueueBackend</name>
    <message>
        <source>%1 already exists; StemDeck does not overwrite files.</source>
        <translation>%1 existe déjà ; StemDeck n&apos;écrase pas les fichiers.</translation>
    </message>
    <message>
        <source>Cannot create the folder %1.</source>
        <translation>Impossible de créer le dossier %1.</translation>
    </message>
    <message>
        <source>Cannot write %1: the folder may be read-only or the disk full.</source>
        <translation>Impossible d&apos;écrire %1 : le dossier est peut-être en lecture seule ou le disque plein.</translation>
    </message>
    <message>
        <source>Export of %1 stopped</source>
        <translation>L&apos;export de %1 s&apos;est arrêté</translation>
    </message>
    <message>
        <source>The export folder is read-only</source>
        <translation>Le dossier d&apos;export est en lecture seule</translation>
    </message>
    <message>
        <source>StemDeck cannot write into %1. Choose a folder you can write to.</source>
        <translation>StemDeck ne peut pas écrire dans %1. Choisissez un dossier accessible en écriture.</translation>
    </message>
    <message>
        <source>The disk is full</source>
        <translation>Le disque est plein</translation>
    </message>
    <message>
        <source>There is not enough free space in %1 for the stems. Free some space or choose another folder.</source>
        <translation>Il n&apos;y a pas assez d&apos;espace libre dans %1 pour les pistes. Libérez de l&apos;espace ou choisissez un autre dossier.</translation>
    </message>
    <message>
        <source>The stems of %1 already exist</source>
        <translation>Les pistes de %1 existent déjà</translation>
    </message>
    <message>
        <source>StemDeck never overwrites files. Choose another folder or file name pattern.</source>
        <translation>StemDeck n&apos;écrase jamais de fichiers. Choisissez un autre dossier ou un autre motif de nom de fichier.</translation>
    </message>
    <message>
        <source>Not enough memory to separate %1</source>
        <translation>Mémoire insuffisante pour séparer %1</translation>
    </message>
    <message>
        <source>Use a smaller batch, close other programs, or separate on the CPU.</source>
        <translation>Utilisez un lot plus petit, fermez d&apos;autres programmes ou séparez sur le CPU.</translation>
    </message>
    <message>
        <source>The file is no longer where it was added: it was moved, renamed or deleted. Add it again from where it is now.</source>
        <translation>Le fichier n&apos;est plus là où il a été ajouté : il a été déplacé, renommé ou supprimé. Ajoutez-le de nouveau depuis son emplacement actuel.</translation>
    </message>
    <message>
        <source>The file holds no audio. Export it again from the program that made it.</source>
        <translation>Le fichier ne contient pas d&apos;audio. Exportez-le de nouveau depuis le programme qui l&apos;a créé.</translation>
    </message>
    <message>
        <source>The file holds invalid samples (NaN or infinity), written by a faulty program. Export it again, or convert it with an audio editor.</source>
        <translation>Le fichier contient des échantillons invalides (NaN ou infini), écrits par un programme défectueux. Exportez-le de nouveau ou convertissez-le avec un éditeur audio.</translation>
    </message>
    <message>
        <source>The file is damaged, cut short, or not audio that StemDeck reads (WAV, FLAC, Ogg, Opus, MP3, AIFF). Open it in an audio editor or converter and save it again, then retry.</source>
        <translation>Le fichier est endommagé, tronqué ou n&apos;est pas un audio que StemDeck lit (WAV, FLAC, Ogg, Opus, MP3, AIFF). Ouvrez-le dans un éditeur ou un convertisseur audio, enregistrez-le de nouveau, puis réessayez.</translation>
    </message>
    <message>
        <source>The device failed while separating %1</source>
        <translation>L&apos;appareil a échoué pendant la séparation de %1</translation>
    </message>
    <message>
        <source>Cannot read %1</source>
        <translation>Impossible de lire %1</translation>
    </message>
    <message>
        <source>The model cannot be used</source>
        <translation>Le modèle ne peut pas être utilisé</translation>
    </message>
    <message>
        <source>A stem of %1 would clip</source>
        <translation>Une piste de %1 saturerait</translation>
    </message>
    <message>
        <source>Choose 32-bit float WAV to keep the full level.</source>
        <translation>Choisissez WAV flottant 32 bits pour garder tout le niveau.</translation>
    </message>
    <message>
        <source>Separating %1 failed</source>
        <translation>La séparation de %1 a échoué</translation>
    </message>
</context>
<context>
    <name>stemdeck::ui::ModelCatalogue</name>
    <message>
        <source>%1: the file does not exist.</source>
        <translation>%1 : le fichier n&apos;existe pas.</translation>
    </message>
    <message>
        <source>%1: not a checkpoint (.ckpt or .safetensors).</source>
        <translation>%1 : ce n&apos;est pas un checkpoint (.ckpt ou .safetensors).</translation>
    </message>
    <message>
        <source>%1: the file is empty.</source>
        <translation>%1 : le fichier est vide.</translation>
    </message>
    <message>
        <source>%1: not a model configuration (.yaml).</source>
        <translation>%1 : ce n&apos;est pas une configuration de modèle (.yaml).</translation>
    </message>
    <message>
        <source>%1: cannot be read (%2).</source>
        <translation>%1 : lecture impossible (%2).</translation>
    </message>
    <message>
        <source>%1: the configuration names no stems (training.instruments).</source>
        <translation>%1 : la configuration ne nomme aucune piste (training.instruments).</translation>
    </message>
    <message numerus="yes">
        <source>%n stem(s)</source>
        <translation>
            <numerusform>%n piste</numerusform>
            <numerusform>%n pistes</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 Hz</source>
        <translation>%1 Hz</translation>
    </message>
    <message>
        <source>%1 M parameters</source>
        <translation>%1 M de paramètres</translation>
    </message>
    <message>
        <source>Bundled with StemDeck</source>
        <translation>Fourni avec StemDeck</translation>
    </message>
    <message>
        <source>Choose a checkpoint (.ckpt or .safetensors) together with its .yaml.</source>
        <translation>Choisissez un checkpoint (.ckpt ou .safetensors) avec son .yaml.</translation>
    </message>
    <message>
        <source>%1 needs its configuration: select the .yaml file too.</source>
        <translation>%1 a besoin de sa configuration : sélectionnez aussi le fichier .yaml.</translation>
    </message>
    <message>
        <source>The downloaded model cannot be used, so it was deleted: %1</source>
        <translation>Le modèle téléchargé est inutilisable ; il a été supprimé : %1</translation>
    </message>
    <message>
        <source>Another StemDeck window is downloading this model; discard it there.</source>
        <translation>Une autre fenêtre StemDeck télécharge ce modèle ; abandonnez le téléchargement dans cette fenêtre-là.</translation>
    </message>
</context>
<context>
    <name>stemdeck::ui::ModelDownloader</name>
    <message>
        <source>%1 already exists; StemDeck does not overwrite models.</source>
        <translation>%1 existe déjà ; StemDeck n&apos;écrase pas les modèles.</translation>
    </message>
    <message>
        <source>Cannot create the folder %1.</source>
        <translation>Impossible de créer le dossier %1.</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>Impossible d&apos;écrire %1 : %2</translation>
    </message>
    <message>
        <source>Download of %1 stopped: %2</source>
        <translation>Le téléchargement de %1 s&apos;est arrêté : %2</translation>
    </message>
    <message>
        <source>Download of %1 stopped after %2 of %3 bytes; it will resume.</source>
        <translation>Le téléchargement de %1 s&apos;est arrêté après %2 octets sur %3 ; il reprendra.</translation>
    </message>
    <message>
        <source>%1 is larger than published (%2 bytes, expected %3); it was deleted.</source>
        <translation>%1 est plus gros que publié (%2 octets, %3 attendus) ; il a été supprimé.</translation>
    </message>
    <message>
        <source>%1 does not match its published SHA-256 checksum (got %2); the file was deleted.</source>
        <translation>%1 ne correspond pas à sa somme SHA-256 publiée (obtenu %2) ; le fichier a été supprimé.</translation>
    </message>
    <message>
        <source>Cannot move the download into place at %1.</source>
        <translation>Impossible de déplacer le fichier téléchargé vers %1.</translation>
    </message>
    <message>
        <source>The server resumed %1 at another place than asked; the partial download was deleted. Start the download again.</source>
        <translation>Le serveur a repris %1 à un autre endroit que celui demandé ; le téléchargement partiel a été supprimé. Relancez le téléchargement.</translation>
    </message>
    <message>
        <source>The partial download of %1 does not fit the file the server has now; it was deleted. Start the download again.</source>
        <translation>Le téléchargement partiel de %1 ne correspond pas au fichier que le serveur propose maintenant ; il a été supprimé. Relancez le téléchargement.</translation>
    </message>
    <message>
        <source>Download of %1 stalled: nothing arrived for %2 s. Start it again to resume.</source>
        <translation>Le téléchargement de %1 est bloqué : rien n&apos;est arrivé pendant %2 s. Relancez-le pour reprendre.</translation>
    </message>
    <message>
        <source>%1 is being downloaded by another StemDeck window. Let it finish there, or close that window and try again.</source>
        <translation>%1 est en cours de téléchargement dans une autre fenêtre StemDeck. Laissez le téléchargement s&apos;y terminer, ou fermez cette fenêtre et réessayez.</translation>
    </message>
    <message>
        <source>Cannot write in the folder %1.</source>
        <translation>Impossible d&apos;écrire dans le dossier %1.</translation>
    </message>
</context>
<context>
    <name>stemdeck::ui::SettingsModel</name>
    <message>
        <source>The pattern needs {stem}, or every stem would get the same name.</source>
        <translation>Le motif doit contenir {stem}, sinon toutes les pistes auraient le même nom.</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>Automatique</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>WAV, 16-bit</source>
        <translation>WAV, 16 bits</translation>
    </message>
    <message>
        <source>WAV, 24-bit</source>
        <translation>WAV, 24 bits</translation>
    </message>
    <message>
        <source>WAV, 32-bit float</source>
        <translation>WAV, flottant 32 bits</translation>
    </message>
    <message>
        <source>FLAC, 16-bit</source>
        <translation>FLAC, 16 bits</translation>
    </message>
    <message>
        <source>FLAC, 24-bit</source>
        <translation>FLAC, 24 bits</translation>
    </message>
    <message>
        <source>MP3, variable bit rate (V0)</source>
        <translation>MP3, débit variable (V0)</translation>
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
        <translation>Langue du système</translation>
    </message>
</context>
</TS>
