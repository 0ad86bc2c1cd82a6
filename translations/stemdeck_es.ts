<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es_ES" sourcelanguage="en">
<context>
    <name>AboutDialog</name>
    <message>
        <source>About StemDeck</source>
        <translation>Acerca de StemDeck</translation>
    </message>
    <message>
        <source>StemDeck %1</source>
        <translation>StemDeck %1</translation>
    </message>
    <message>
        <source>Separates music into stems with MDX23C models, on your own computer.</source>
        <translation>Separa la música en pistas con modelos MDX23C, en tu propio ordenador.</translation>
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
        <translation>desconocida</translation>
    </message>
    <message>
        <source>Credits for bundled data</source>
        <translation>Créditos de los datos incluidos</translation>
    </message>
    <message>
        <source>Licence: GNU GPL version 3 or later. Models you download keep their authors&apos; licences.</source>
        <translation>Licencia: GNU GPL versión 3 o posterior. Los modelos descargados conservan la licencia de sus autores.</translation>
    </message>
</context>
<context>
    <name>DropOverlay</name>
    <message>
        <source>Drop to add to the queue</source>
        <translation>Suelta para añadir a la cola</translation>
    </message>
</context>
<context>
    <name>ErrorBanner</name>
    <message numerus="yes">
        <source>%n more</source>
        <translation>
            <numerusform>%n problema más</numerusform>
            <numerusform>%n problemas más</numerusform>
        </translation>
    </message>
    <message>
        <source>Dismiss the error</source>
        <translation>Cerrar el error</translation>
    </message>
    <message>
        <source>Hide details</source>
        <translation>Ocultar detalles</translation>
    </message>
    <message>
        <source>Show details</source>
        <translation>Mostrar detalles</translation>
    </message>
    <message>
        <source>Copy report</source>
        <translation>Copiar informe</translation>
    </message>
    <message>
        <source>Copy an error report to the clipboard</source>
        <translation>Copiar un informe de error al portapapeles</translation>
    </message>
    <message>
        <source>Error details</source>
        <translation>Detalles del error</translation>
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
        <translation>Progreso de %1</translation>
    </message>
    <message>
        <source>%1 %2%</source>
        <translation>%1 %2 %</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Cancel %1</source>
        <translation>Cancelar %1</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Reintentar</translation>
    </message>
    <message>
        <source>Retry %1</source>
        <translation>Reintentar %1</translation>
    </message>
    <message>
        <source>Retry on CPU</source>
        <translation>Reintentar en la CPU</translation>
    </message>
    <message>
        <source>Retry %1 on the CPU</source>
        <translation>Reintentar %1 en la CPU</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Exportar</translation>
    </message>
    <message>
        <source>Export %1</source>
        <translation>Exportar %1</translation>
    </message>
    <message>
        <source>Show files</source>
        <translation>Mostrar archivos</translation>
    </message>
    <message>
        <source>Show the stems of %1</source>
        <translation>Mostrar las pistas de %1</translation>
    </message>
    <message>
        <source>Remove %1 from the list</source>
        <translation>Quitar %1 de la lista</translation>
    </message>
    <message>
        <source>Remove from the list</source>
        <translation>Quitar de la lista</translation>
    </message>
</context>
<context>
    <name>JobListPanel</name>
    <message>
        <source>Queue</source>
        <translation>Cola</translation>
    </message>
    <message>
        <source>%1 ready · %2 in progress · %3 done</source>
        <translation>Listos: %1 · En curso: %2 · Terminados: %3</translation>
    </message>
    <message>
        <source>%1 ready · %2 in progress · %3 done · %4 failed</source>
        <translation>Listos: %1 · En curso: %2 · Terminados: %3 · Fallidos: %4</translation>
    </message>
    <message>
        <source>Clear finished</source>
        <translation>Quitar terminados</translation>
    </message>
    <message>
        <source>Remove finished, failed and cancelled jobs</source>
        <translation>Quitar los trabajos terminados, fallidos y cancelados</translation>
    </message>
    <message>
        <source>Overall progress</source>
        <translation>Progreso total</translation>
    </message>
    <message>
        <source>Jobs</source>
        <translation>Trabajos</translation>
    </message>
    <message>
        <source>Drop audio files or folders anywhere on this window</source>
        <translation>Suelta archivos de audio o carpetas en cualquier parte de esta ventana</translation>
    </message>
    <message>
        <source>WAV, FLAC, Ogg, Opus, MP3 and AIFF are read. Folders are searched recursively.</source>
        <translation>Se leen WAV, FLAC, Ogg, Opus, MP3 y AIFF. Las carpetas se recorren de forma recursiva.</translation>
    </message>
    <message>
        <source>Open audio files…</source>
        <translation>Abrir archivos de audio…</translation>
    </message>
    <message>
        <source>Separate the demo loop</source>
        <translation>Separar el loop de demostración</translation>
    </message>
    <message>
        <source>Separates the drum loop bundled with StemDeck and opens its stems in the preview</source>
        <translation>Separa el loop de batería incluido con StemDeck y abre sus pistas en la vista previa</translation>
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
        <translation>Ajustes</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>Modelos</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>Vista previa</translation>
    </message>
    <message>
        <source>Profile</source>
        <translation>Perfilado</translation>
    </message>
    <message>
        <source>Open audio files</source>
        <translation>Abrir archivos de audio</translation>
    </message>
    <message>
        <source>Audio files (%1)</source>
        <translation>Archivos de audio (%1)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>Todos los archivos (*)</translation>
    </message>
    <message>
        <source>Choose the export folder</source>
        <translation>Elegir la carpeta de exportación</translation>
    </message>
    <message>
        <source>Add a folder of audio files</source>
        <translation>Añadir una carpeta de archivos de audio</translation>
    </message>
</context>
<context>
    <name>ModelPanel</name>
    <message>
        <source>Models</source>
        <translation>Modelos</translation>
    </message>
    <message>
        <source>Bundled</source>
        <translation>Incluido</translation>
    </message>
    <message>
        <source>Imported</source>
        <translation>Importado</translation>
    </message>
    <message>
        <source>Downloaded</source>
        <translation>Descargado</translation>
    </message>
    <message>
        <source>Stems: %1</source>
        <translation>Pistas: %1</translation>
    </message>
    <message>
        <source>Download progress of %1</source>
        <translation>Progreso de descarga de %1</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pausar</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>Descargar</translation>
    </message>
    <message>
        <source>Pause the download of %1</source>
        <translation>Pausar la descarga de %1</translation>
    </message>
    <message>
        <source>Download %1</source>
        <translation>Descargar %1</translation>
    </message>
    <message>
        <source>Import model…</source>
        <translation>Importar modelo…</translation>
    </message>
    <message>
        <source>Import a model checkpoint and its configuration</source>
        <translation>Importar un checkpoint de modelo y su configuración</translation>
    </message>
    <message>
        <source>Select the .ckpt or .safetensors file and its .yaml together.</source>
        <translation>Selecciona a la vez el archivo .ckpt o .safetensors y su .yaml.</translation>
    </message>
    <message>
        <source>Import a model</source>
        <translation>Importar un modelo</translation>
    </message>
    <message>
        <source>Model files (*.ckpt *.safetensors *.yaml *.yml)</source>
        <translation>Archivos de modelo (*.ckpt *.safetensors *.yaml *.yml)</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>Descartar</translation>
    </message>
    <message>
        <source>Delete the partial download of %1</source>
        <translation>Eliminar la descarga parcial de %1</translation>
    </message>
    <message>
        <source>Delete what was downloaded so far</source>
        <translation>Eliminar lo descargado hasta ahora</translation>
    </message>
</context>
<context>
    <name>ProfilingPanel</name>
    <message>
        <source>Load model</source>
        <translation>Cargar modelo</translation>
    </message>
    <message>
        <source>Decode</source>
        <translation>Decodificar</translation>
    </message>
    <message>
        <source>Resample</source>
        <translation>Remuestrear</translation>
    </message>
    <message>
        <source>Warm-up</source>
        <translation>Calentamiento</translation>
    </message>
    <message>
        <source>Transfer</source>
        <translation>Transferencia</translation>
    </message>
    <message>
        <source>STFT</source>
        <translation>STFT</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modelo</translation>
    </message>
    <message>
        <source>iSTFT</source>
        <translation>iSTFT</translation>
    </message>
    <message>
        <source>Overlap-add</source>
        <translation>Solapamiento y suma</translation>
    </message>
    <message>
        <source>Encode</source>
        <translation>Codificar</translation>
    </message>
    <message>
        <source>Write</source>
        <translation>Escribir</translation>
    </message>
    <message>
        <source>n/a</source>
        <translation>n/d</translation>
    </message>
    <message>
        <source>Device: %1</source>
        <translation>Dispositivo: %1</translation>
    </message>
    <message>
        <source>%1x real-time</source>
        <translation>%1× tiempo real</translation>
    </message>
    <message>
        <source>Warm-up %1 s</source>
        <translation>Calentamiento %1 s</translation>
    </message>
    <message>
        <source>Batch %1 (%2 batches)</source>
        <translation>Lote %1 (%2 lotes)</translation>
    </message>
    <message>
        <source>Wall %1 s</source>
        <translation>Total %1 s</translation>
    </message>
    <message>
        <source>Export Chrome trace</source>
        <translation>Exportar traza de Chrome</translation>
    </message>
    <message>
        <source>Trace written to %1 (open it in ui.perfetto.dev)</source>
        <translation>Traza escrita en %1 (ábrela en ui.perfetto.dev)</translation>
    </message>
    <message>
        <source>Export summary</source>
        <translation>Exportar resumen</translation>
    </message>
    <message>
        <source>No job profiled yet: start a separation to see where its time and memory go.</source>
        <translation>Aún no se ha medido ningún trabajo: inicia una separación para ver en qué se van el tiempo y la memoria.</translation>
    </message>
    <message>
        <source>Summary written to %1</source>
        <translation>Resumen escrito en %1</translation>
    </message>
    <message>
        <source>Time per stage</source>
        <translation>Tiempo por etapa</translation>
    </message>
    <message>
        <source>Throughput (x real-time), peak %1</source>
        <translation>Rendimiento (× tiempo real), pico %1</translation>
    </message>
    <message>
        <source>Memory peaks: process (blue) %1, device (orange) %2; budget (red) %3</source>
        <translation>Picos de memoria: proceso (azul) %1, dispositivo (naranja) %2; presupuesto (rojo) %3</translation>
    </message>
    <message>
        <source>Batch changes, fallbacks and warnings</source>
        <translation>Cambios de lote, alternativas y avisos</translation>
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
        <translation>Trabajo movido a otro dispositivo</translation>
    </message>
    <message>
        <source>The job goes on there; results are the same, only slower.</source>
        <translation>El trabajo continúa allí; el resultado es el mismo, pero tarda más.</translation>
    </message>
    <message>
        <source>Batch size changed</source>
        <translation>Tamaño de lote cambiado</translation>
    </message>
    <message>
        <source>Backend warning</source>
        <translation>Aviso del motor</translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation>No se pudo escribir %1: %2</translation>
    </message>
</context>
<context>
    <name>SettingsPanel</name>
    <message>
        <source>Separation</source>
        <translation>Separación</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>Dispositivo</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Overlap</source>
        <translation>Solapamiento</translation>
    </message>
    <message>
        <source>Model&apos;s</source>
        <translation>Del modelo</translation>
    </message>
    <message>
        <source>The model&apos;s own overlap</source>
        <translation>El solapamiento propio del modelo</translation>
    </message>
    <message>
        <source>The overlap the model was measured at</source>
        <translation>El solapamiento con el que se midió el modelo</translation>
    </message>
    <message>
        <source>Soft masks</source>
        <translation>Máscaras suaves</translation>
    </message>
    <message>
        <source>The model&apos;s soft masks</source>
        <translation>Las máscaras suaves del modelo</translation>
    </message>
    <message>
        <source>Share the mix between the stems by their spectra, as the model&apos;s config asks. Off is faster, but a model trained with them, such as the bundled one, separates worse without</source>
        <translation>Reparte la mezcla entre las pistas según sus espectros, como pide la configuración del modelo. Desactivado es más rápido, pero un modelo entrenado con ellas, como el incluido, separa peor sin ellas</translation>
    </message>
    <message>
        <source>Stereo filter</source>
        <translation>Filtro estéreo</translation>
    </message>
    <message>
        <source>The model&apos;s stereo filter</source>
        <translation>El filtro estéreo del modelo</translation>
    </message>
    <message>
        <source>Tell the stems apart by where they sit in the stereo image (a multichannel Wiener filter), as the model&apos;s config asks. Off is faster, but a model trained with it, such as the bundled one, separates worse without</source>
        <translation>Distingue las pistas por su lugar en la imagen estéreo (un filtro de Wiener multicanal), como pide la configuración del modelo. Desactivado es más rápido, pero un modelo entrenado con él, como el incluido, separa peor sin él</translation>
    </message>
    <message>
        <source>Extra passes</source>
        <translation>Pasadas adicionales</translation>
    </message>
    <message>
        <source>About 2x slower</source>
        <translation>Unas 2 veces más lento</translation>
    </message>
    <message>
        <source>Extra passes: the model also hears the audio mirrored and inverted</source>
        <translation>Pasadas adicionales: el modelo también escucha el audio reflejado e invertido</translation>
    </message>
    <message>
        <source>The model also hears the audio with left and right swapped and with its polarity inverted, and the results are averaged (test-time augmentation). About twice the time; on the bundled drum model it measured no clear gain</source>
        <translation>El modelo también escucha el audio con izquierda y derecha intercambiadas y con la polaridad invertida, y se promedian los resultados (aumento en tiempo de prueba). Cerca del doble de tiempo; con el modelo de batería incluido no se midió una mejora clara</translation>
    </message>
    <message>
        <source>More overlap is smoother and slower</source>
        <translation>Más solapamiento: resultado más suave, pero más lento</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>Tamaño de lote</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>Automático</translation>
    </message>
    <message>
        <source>Automatic batch size</source>
        <translation>Tamaño de lote automático</translation>
    </message>
    <message>
        <source>Precision</source>
        <translation>Precisión</translation>
    </message>
    <message>
        <source>Full (32-bit float)</source>
        <translation>Completa (coma flotante de 32 bits)</translation>
    </message>
    <message>
        <source>Half (16-bit float)</source>
        <translation>Media (coma flotante de 16 bits)</translation>
    </message>
    <message>
        <source>Half (bfloat16)</source>
        <translation>Media (bfloat16)</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Exportación</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>Formato</translation>
    </message>
    <message>
        <source>Output format</source>
        <translation>Formato de salida</translation>
    </message>
    <message>
        <source>File names</source>
        <translation>Nombres de archivo</translation>
    </message>
    <message>
        <source>File name pattern</source>
        <translation>Patrón de nombre de archivo</translation>
    </message>
    <message>
        <source>Example: %1</source>
        <translation>Ejemplo: %1</translation>
    </message>
    <message>
        <source>Destination</source>
        <translation>Destino</translation>
    </message>
    <message>
        <source>Next to the source file</source>
        <translation>Junto al archivo de origen</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Elegir…</translation>
    </message>
    <message>
        <source>Choose the export folder</source>
        <translation>Elegir la carpeta de exportación</translation>
    </message>
    <message>
        <source>Stems</source>
        <translation>Pistas</translation>
    </message>
    <message>
        <source>Export %1</source>
        <translation>Exportar %1</translation>
    </message>
    <message>
        <source>Choose a model to see its stems</source>
        <translation>Elige un modelo para ver sus pistas</translation>
    </message>
    <message>
        <source>Also export the residual (mix minus the chosen stems)</source>
        <translation>Exportar también el residuo (mezcla menos las pistas elegidas)</translation>
    </message>
    <message>
        <source>Export the residual</source>
        <translation>Exportar el residuo</translation>
    </message>
    <message>
        <source>Export automatically when a job ends</source>
        <translation>Exportar automáticamente al terminar un trabajo</translation>
    </message>
    <message>
        <source>Appearance</source>
        <translation>Apariencia</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Idioma</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>Tema</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>Según el sistema</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Claro</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Oscuro</translation>
    </message>
</context>
<context>
    <name>StemPreviewPanel</name>
    <message>
        <source>Exported %1</source>
        <translation>%1 exportado</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pausa</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>Reproducir</translation>
    </message>
    <message>
        <source>Clear loop</source>
        <translation>Quitar bucle</translation>
    </message>
    <message>
        <source>Loop %1 - %2</source>
        <translation>Bucle %1 – %2</translation>
    </message>
    <message>
        <source>Original (A/B)</source>
        <translation>Original (A/B)</translation>
    </message>
    <message>
        <source>Export all but muted</source>
        <translation>Exportar todo salvo lo silenciado</translation>
    </message>
    <message>
        <source>Loading stems...</source>
        <translation>Cargando pistas…</translation>
    </message>
    <message>
        <source>A finished job opens here: click it in the queue to hear its stems.</source>
        <translation>Aquí se abre un trabajo terminado: haz clic en él en la cola para escuchar sus pistas.</translation>
    </message>
    <message>
        <source>M</source>
        <extracomment>One-letter label of the mute button of a stem</extracomment>
        <translation>M</translation>
    </message>
    <message>
        <source>Mute %1</source>
        <translation>Silenciar %1</translation>
    </message>
    <message>
        <source>S</source>
        <extracomment>One-letter label of the solo button of a stem</extracomment>
        <translation>S</translation>
    </message>
    <message>
        <source>Solo %1</source>
        <translation>Poner %1 en solo</translation>
    </message>
    <message>
        <source>Volume of %1</source>
        <translation>Volumen de %1</translation>
    </message>
    <message>
        <source>Original mix</source>
        <translation>Mezcla original</translation>
    </message>
    <message>
        <source>Exported %1 (%2)</source>
        <translation>%1 exportado (%2)</translation>
    </message>
    <message>
        <source>Play the original mix (A/B)</source>
        <translation>Reproducir la mezcla original (A/B)</translation>
    </message>
</context>
<context>
    <name>Toolbar</name>
    <message>
        <source>Open…</source>
        <translation>Abrir…</translation>
    </message>
    <message>
        <source>Open audio files</source>
        <translation>Abrir archivos de audio</translation>
    </message>
    <message>
        <source>Open audio files (Ctrl+O)</source>
        <translation>Abrir archivos de audio (Ctrl+O)</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Iniciar</translation>
    </message>
    <message>
        <source>Start separating</source>
        <translation>Iniciar la separación</translation>
    </message>
    <message>
        <source>Separate the ready files (Ctrl+Return)</source>
        <translation>Separar los archivos listos (Ctrl+Intro)</translation>
    </message>
    <message>
        <source>Cancel all</source>
        <translation>Cancelar todo</translation>
    </message>
    <message>
        <source>Cancel all jobs</source>
        <translation>Cancelar todos los trabajos</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Exportar</translation>
    </message>
    <message>
        <source>Export finished jobs</source>
        <translation>Exportar los trabajos terminados</translation>
    </message>
    <message>
        <source>Export finished jobs that are not exported yet (Ctrl+E)</source>
        <translation>Exportar los trabajos terminados aún no exportados (Ctrl+E)</translation>
    </message>
    <message>
        <source>Model: %1</source>
        <translation>Modelo: %1</translation>
    </message>
    <message>
        <source>No model chosen</source>
        <translation>Ningún modelo elegido</translation>
    </message>
    <message>
        <source>About</source>
        <translation>Acerca de</translation>
    </message>
    <message>
        <source>About StemDeck</source>
        <translation>Acerca de StemDeck</translation>
    </message>
    <message>
        <source>Cancel queued and running jobs (Ctrl+Shift+X)</source>
        <translation>Cancelar los trabajos en cola y en curso (Ctrl+Mayús+X)</translation>
    </message>
    <message>
        <source>Add folder…</source>
        <translation>Añadir carpeta…</translation>
    </message>
    <message>
        <source>Add a folder of audio files</source>
        <translation>Añadir una carpeta de archivos de audio</translation>
    </message>
    <message>
        <source>Add every audio file in a folder and its subfolders (Ctrl+Shift+O)</source>
        <translation>Añadir todos los archivos de audio de una carpeta y sus subcarpetas (Ctrl+Mayús+O)</translation>
    </message>
</context>
<context>
    <name>UnsupportedFilesDialog</name>
    <message>
        <source>Some files were not added</source>
        <translation>Algunos archivos no se añadieron</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) are not audio StemDeck can read, or no longer exist:</source>
        <translation>
            <numerusform>%n archivo no es audio que StemDeck pueda leer o ya no existe:</numerusform>
            <numerusform>%n archivos no son audio que StemDeck pueda leer o ya no existen:</numerusform>
        </translation>
    </message>
    <message>
        <source>Files not added</source>
        <translation>Archivos no añadidos</translation>
    </message>
</context>
<context>
    <name>stemdeck::preview::StemPreview</name>
    <message>
        <source>The stem folder %1 does not exist.</source>
        <translation>La carpeta de pistas %1 no existe.</translation>
    </message>
    <message>
        <source>The folder %1 holds no audio files.</source>
        <translation>La carpeta %1 no contiene archivos de audio.</translation>
    </message>
    <message>
        <source>No audio output device was found, so playback is off. Waveforms, mute and solo, and export still work.</source>
        <translation>No se encontró ningún dispositivo de salida de audio, así que la reproducción está desactivada. Las formas de onda, silenciar y solo, y la exportación siguen funcionando.</translation>
    </message>
    <message>
        <source>The audio device %1 cannot play %2 Hz audio, so playback is off.</source>
        <translation>El dispositivo de audio %1 no puede reproducir audio a %2 Hz, así que la reproducción está desactivada.</translation>
    </message>
    <message>
        <source>The audio device could not be opened, so playback is off. Waveforms, mute and solo, and export still work.</source>
        <translation>No se pudo abrir el dispositivo de audio, así que la reproducción está desactivada. Las formas de onda, silenciar y solo, y la exportación siguen funcionando.</translation>
    </message>
    <message>
        <source>An export is already running.</source>
        <translation>Ya hay una exportación en curso.</translation>
    </message>
    <message>
        <source>No stems are loaded.</source>
        <translation>No hay pistas cargadas.</translation>
    </message>
    <message>
        <source>Cannot export to %1: use a .wav, .flac, .ogg or .mp3 name.</source>
        <translation>No se puede exportar a %1: usa un nombre con extensión .wav, .flac, .ogg o .mp3.</translation>
    </message>
</context>
<context>
    <name>stemdeck::ui::AppController</name>
    <message>
        <source>Separation is not available</source>
        <translation>La separación no está disponible</translation>
    </message>
    <message>
        <source>This build of StemDeck has no separation engine.</source>
        <translation>Esta compilación de StemDeck no tiene motor de separación.</translation>
    </message>
    <message>
        <source>The file name pattern is not valid</source>
        <translation>El patrón de nombre de archivo no es válido</translation>
    </message>
    <message>
        <source>No model is chosen</source>
        <translation>No hay ningún modelo elegido</translation>
    </message>
    <message>
        <source>Choose the bundled model, import one or download one from the catalogue.</source>
        <translation>Elige el modelo incluido, importa uno o descarga uno del catálogo.</translation>
    </message>
    <message>
        <source>It no longer exists: it was moved, renamed or deleted.</source>
        <translation>Ya no existe: se movió, se renombró o se eliminó.</translation>
    </message>
    <message>
        <source>It holds no audio.</source>
        <translation>No contiene audio.</translation>
    </message>
    <message>
        <source>It is damaged, cut short, or not audio that StemDeck reads (WAV, FLAC, Ogg, Opus, MP3, AIFF).</source>
        <translation>Está dañado, incompleto o no es audio que StemDeck pueda leer (WAV, FLAC, Ogg, Opus, MP3, AIFF).</translation>
    </message>
    <message>
        <source>Its name is not valid UTF-8 (it was probably named on a system with another character set), so it cannot be opened. Rename it and add it again.</source>
        <translation>Su nombre no es UTF-8 válido (probablemente se le dio en un sistema con otro juego de caracteres), así que no se puede abrir. Cámbiale el nombre y vuelve a añadirlo.</translation>
    </message>
    <message>
        <source>You do not have permission to read it.</source>
        <translation>No tienes permiso para leerlo.</translation>
    </message>
    <message>
        <source>The model is no longer there</source>
        <translation>El modelo ya no está</translation>
    </message>
    <message>
        <source>The files of %1 were deleted or moved. Download or import it again, or choose another model; the jobs wait.</source>
        <translation>Los archivos de %1 se eliminaron o se movieron. Vuelve a descargarlo o importarlo, o elige otro modelo; los trabajos esperan.</translation>
    </message>
</context>
<context>
    <name>stemdeck::ui::ErrorBannerModel</name>
    <message>
        <source>Retry</source>
        <translation>Reintentar</translation>
    </message>
    <message>
        <source>Retry on CPU</source>
        <translation>Reintentar en la CPU</translation>
    </message>
    <message>
        <source>Use a smaller batch</source>
        <translation>Usar un lote más pequeño</translation>
    </message>
    <message>
        <source>Choose another folder</source>
        <translation>Elegir otra carpeta</translation>
    </message>
    <message>
        <source>Open folder</source>
        <translation>Abrir carpeta</translation>
    </message>
    <message>
        <source>Choose another model</source>
        <translation>Elegir otro modelo</translation>
    </message>
    <message>
        <source>Show the file</source>
        <translation>Mostrar el archivo</translation>
    </message>
    <message>
        <source>Copy report</source>
        <translation>Copiar informe</translation>
    </message>
</context>
<context>
    <name>stemdeck::ui::JobListModel</name>
    <message>
        <source>Ready</source>
        <translation>Listo</translation>
    </message>
    <message>
        <source>Queued</source>
        <translation>En cola</translation>
    </message>
    <message>
        <source>Separating</source>
        <translation>Separando</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Terminado</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fallido</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Cancelado</translation>
    </message>
    <message>
        <source>%1 left</source>
        <translation>quedan %1</translation>
    </message>
    <message>
        <source>Exported</source>
        <translation>Exportado</translation>
    </message>
    <message>
        <source>Not exported yet</source>
        <translation>Aún no exportado</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) in %1</source>
        <translation>
            <numerusform>%n archivo en %1</numerusform>
            <numerusform>%n archivos en %1</numerusform>
        </translation>
    </message>
    <message>
        <source>In %1</source>
        <translation>En %1</translation>
    </message>
</context>
<context>
    <name>stemdeck::ui::JobQueueBackend</name>
    <message>
        <source>%1 already exists; StemDeck does not overwrite files.</source>
        <translation>%1 ya existe; StemDeck no sobrescribe archivos.</translation>
    </message>
    <message>
        <source>Cannot create the folder %1.</source>
        <translation>No se puede crear la carpeta %1.</translation>
    </message>
    <message>
        <source>Cannot write %1: the folder may be read-only or the disk full.</source>
        <translation>No se puede escribir %1: puede que la carpeta sea de solo lectura o el disco esté lleno.</translation>
    </message>
    <message>
        <source>Export of %1 stopped</source>
        <translation>La exportación de %1 se detuvo</translation>
    </message>
    <message>
        <source>The export folder is read-only</source>
        <translation>La carpeta de exportación es de solo lectura</translation>
    </message>
    <message>
        <source>StemDeck cannot write into %1. Choose a folder you can write to.</source>
        <translation>StemDeck no puede escribir en %1. Elige una carpeta en la que puedas escribir.</translation>
    </message>
    <message>
        <source>The disk is full</source>
        <translation>El disco está lleno</translation>
    </message>
    <message>
        <source>There is not enough free space in %1 for the stems. Free some space or choose another folder.</source>
        <translation>No hay espacio libre suficiente en %1 para las pistas. Libera espacio o elige otra carpeta.</translation>
    </message>
    <message>
        <source>The stems of %1 already exist</source>
        <translation>Las pistas de %1 ya existen</translation>
    </message>
    <message>
        <source>StemDeck never overwrites files. Choose another folder or file name pattern.</source>
        <translation>StemDeck nunca sobrescribe archivos. Elige otra carpeta u otro patrón de nombre.</translation>
    </message>
    <message>
        <source>Not enough memory to separate %1</source>
        <translation>No hay memoria suficiente para separar %1</translation>
    </message>
    <message>
        <source>Use a smaller batch, close other programs, or separate on the CPU.</source>
        <translation>Usa un lote más pequeño, cierra otros programas o separa en la CPU.</translation>
    </message>
    <message>
        <source>The file is no longer where it was added: it was moved, renamed or deleted. Add it again from where it is now.</source>
        <translation>El archivo ya no está donde se añadió: se movió, se renombró o se eliminó. Añádelo de nuevo desde donde esté ahora.</translation>
    </message>
    <message>
        <source>The file holds no audio. Export it again from the program that made it.</source>
        <translation>El archivo no contiene audio. Expórtalo de nuevo desde el programa que lo creó.</translation>
    </message>
    <message>
        <source>The file holds invalid samples (NaN or infinity), written by a faulty program. Export it again, or convert it with an audio editor.</source>
        <translation>El archivo contiene muestras no válidas (NaN o infinito), escritas por un programa defectuoso. Expórtalo de nuevo o conviértelo con un editor de audio.</translation>
    </message>
    <message>
        <source>The file is damaged, cut short, or not audio that StemDeck reads (WAV, FLAC, Ogg, Opus, MP3, AIFF). Open it in an audio editor or converter and save it again, then retry.</source>
        <translation>El archivo está dañado, incompleto o no es audio que StemDeck pueda leer (WAV, FLAC, Ogg, Opus, MP3, AIFF). Ábrelo en un editor o conversor de audio, guárdalo de nuevo y vuelve a intentarlo.</translation>
    </message>
    <message>
        <source>The device failed while separating %1</source>
        <translation>El dispositivo falló al separar %1</translation>
    </message>
    <message>
        <source>Cannot read %1</source>
        <translation>No se puede leer %1</translation>
    </message>
    <message>
        <source>The model cannot be used</source>
        <translation>No se puede usar el modelo</translation>
    </message>
    <message>
        <source>A stem of %1 would clip</source>
        <translation>Una pista de %1 saturaría</translation>
    </message>
    <message>
        <source>Choose 32-bit float WAV to keep the full level.</source>
        <translation>Elige WAV de coma flotante de 32 bits para conservar todo el nivel.</translation>
    </message>
    <message>
        <source>Separating %1 failed</source>
        <translation>La separación de %1 falló</translation>
    </message>
</context>
<context>
    <name>stemdeck::ui::ModelCatalogue</name>
    <message>
        <source>%1: the file does not exist.</source>
        <translation>%1: el archivo no existe.</translation>
    </message>
    <message>
        <source>%1: not a checkpoint (.ckpt or .safetensors).</source>
        <translation>%1: no es un checkpoint (.ckpt o .safetensors).</translation>
    </message>
    <message>
        <source>%1: the file is empty.</source>
        <translation>%1: el archivo está vacío.</translation>
    </message>
    <message>
        <source>%1: not a model configuration (.yaml).</source>
        <translation>%1: no es una configuración de modelo (.yaml).</translation>
    </message>
    <message>
        <source>%1: cannot be read (%2).</source>
        <translation>%1: no se puede leer (%2).</translation>
    </message>
    <message>
        <source>%1: the configuration names no stems (training.instruments).</source>
        <translation>%1: la configuración no nombra ninguna pista (training.instruments).</translation>
    </message>
    <message numerus="yes">
        <source>%n stem(s)</source>
        <translation>
            <numerusform>%n pista</numerusform>
            <numerusform>%n pistas</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 Hz</source>
        <translation>%1 Hz</translation>
    </message>
    <message>
        <source>%1 M parameters</source>
        <translation>%1 M de parámetros</translation>
    </message>
    <message>
        <source>Bundled with StemDeck</source>
        <translation>Incluido con StemDeck</translation>
    </message>
    <message>
        <source>Choose a checkpoint (.ckpt or .safetensors) together with its .yaml.</source>
        <translation>Elige un checkpoint (.ckpt o .safetensors) junto con su .yaml.</translation>
    </message>
    <message>
        <source>%1 needs its configuration: select the .yaml file too.</source>
        <translation>%1 necesita su configuración: selecciona también el archivo .yaml.</translation>
    </message>
    <message>
        <source>The downloaded model cannot be used, so it was deleted: %1</source>
        <translation>El modelo descargado no se puede usar, así que se eliminó: %1</translation>
    </message>
    <message>
        <source>Another StemDeck window is downloading this model; discard it there.</source>
        <translation>Otra ventana de StemDeck está descargando este modelo; descarta la descarga allí.</translation>
    </message>
</context>
<context>
    <name>stemdeck::ui::ModelDownloader</name>
    <message>
        <source>%1 already exists; StemDeck does not overwrite models.</source>
        <translation>%1 ya existe; StemDeck no sobrescribe modelos.</translation>
    </message>
    <message>
        <source>Cannot create the folder %1.</source>
        <translation>No se puede crear la carpeta %1.</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>No se puede escribir %1: %2</translation>
    </message>
    <message>
        <source>Download of %1 stopped: %2</source>
        <translation>La descarga de %1 se detuvo: %2</translation>
    </message>
    <message>
        <source>Download of %1 stopped after %2 of %3 bytes; it will resume.</source>
        <translation>La descarga de %1 se detuvo tras %2 de %3 bytes; se reanudará.</translation>
    </message>
    <message>
        <source>%1 is larger than published (%2 bytes, expected %3); it was deleted.</source>
        <translation>%1 es más grande de lo publicado (%2 bytes, se esperaban %3); se ha eliminado.</translation>
    </message>
    <message>
        <source>%1 does not match its published SHA-256 checksum (got %2); the file was deleted.</source>
        <translation>%1 no coincide con su suma SHA-256 publicada (se obtuvo %2); el archivo se ha eliminado.</translation>
    </message>
    <message>
        <source>Cannot move the download into place at %1.</source>
        <translation>No se puede mover la descarga a %1.</translation>
    </message>
    <message>
        <source>The server resumed %1 at another place than asked; the partial download was deleted. Start the download again.</source>
        <translation>El servidor reanudó %1 en otro punto del solicitado; la descarga parcial se eliminó. Vuelve a iniciar la descarga.</translation>
    </message>
    <message>
        <source>The partial download of %1 does not fit the file the server has now; it was deleted. Start the download again.</source>
        <translation>La descarga parcial de %1 no corresponde al archivo que tiene ahora el servidor; se eliminó. Vuelve a iniciar la descarga.</translation>
    </message>
    <message>
        <source>Download of %1 stalled: nothing arrived for %2 s. Start it again to resume.</source>
        <translation>La descarga de %1 se detuvo: no llegó nada durante %2 s. Vuelve a iniciarla para reanudarla.</translation>
    </message>
    <message>
        <source>%1 is being downloaded by another StemDeck window. Let it finish there, or close that window and try again.</source>
        <translation>Otra ventana de StemDeck está descargando %1. Deja que termine allí, o cierra esa ventana y vuelve a intentarlo.</translation>
    </message>
    <message>
        <source>Cannot write in the folder %1.</source>
        <translation>No se puede escribir en la carpeta %1.</translation>
    </message>
</context>
<context>
    <name>stemdeck::ui::SettingsModel</name>
    <message>
        <source>The pattern needs {stem}, or every stem would get the same name.</source>
        <translation>El patrón necesita {stem}; si no, todas las pistas tendrían el mismo nombre.</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>Automático</translation>
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
        <translation>WAV, coma flotante de 32 bits</translation>
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
        <translation>MP3, tasa de bits variable (V0)</translation>
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
        <translation>Idioma del sistema</translation>
    </message>
</context>
</TS>
