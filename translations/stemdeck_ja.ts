<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja_JP" sourcelanguage="en">
<context>
    <name>AboutDialog</name>
    <message>
        <source>About StemDeck</source>
        <translation>StemDeck について</translation>
    </message>
    <message>
        <source>StemDeck %1</source>
        <translation>StemDeck %1</translation>
    </message>
    <message>
        <source>Separates music into stems with MDX23C models, on your own computer.</source>
        <translation>MDX23C モデルで音楽をステムに分離します。処理はすべてお使いのコンピューター上で行われます。</translation>
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
        <translation>不明</translation>
    </message>
    <message>
        <source>Credits for bundled data</source>
        <translation>同梱データのクレジット</translation>
    </message>
    <message>
        <source>Licence: GNU GPL version 3 or later. Models you download keep their authors&apos; licences.</source>
        <translation>ライセンス: GNU GPL バージョン 3 以降。ダウンロードしたモデルには各作者のライセンスが適用されます。</translation>
    </message>
</context>
<context>
    <name>DropOverlay</name>
    <message>
        <source>Drop to add to the queue</source>
        <translation>ドロップしてキューに追加</translation>
    </message>
</context>
<context>
    <name>ErrorBanner</name>
    <message numerus="yes">
        <source>%n more</source>
        <translation>
            <numerusform>ほか %n 件</numerusform>
        </translation>
    </message>
    <message>
        <source>Dismiss the error</source>
        <translation>エラーを閉じる</translation>
    </message>
    <message>
        <source>Hide details</source>
        <translation>詳細を隠す</translation>
    </message>
    <message>
        <source>Show details</source>
        <translation>詳細を表示</translation>
    </message>
    <message>
        <source>Copy report</source>
        <translation>レポートをコピー</translation>
    </message>
    <message>
        <source>Copy an error report to the clipboard</source>
        <translation>エラーレポートをクリップボードにコピー</translation>
    </message>
    <message>
        <source>Error details</source>
        <translation>エラーの詳細</translation>
    </message>
</context>
<context>
    <name>JobDelegate</name>
    <message>
        <source>%1, %2</source>
        <translation>%1、%2</translation>
    </message>
    <message>
        <source>Progress of %1</source>
        <translation>%1 の進行状況</translation>
    </message>
    <message>
        <source>%1 %2%</source>
        <translation>%1 %2%</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>キャンセル</translation>
    </message>
    <message>
        <source>Cancel %1</source>
        <translation>%1 をキャンセル</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>再試行</translation>
    </message>
    <message>
        <source>Retry %1</source>
        <translation>%1 を再試行</translation>
    </message>
    <message>
        <source>Retry on CPU</source>
        <translation>CPU で再試行</translation>
    </message>
    <message>
        <source>Retry %1 on the CPU</source>
        <translation>%1 を CPU で再試行</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>書き出し</translation>
    </message>
    <message>
        <source>Export %1</source>
        <translation>%1 を書き出す</translation>
    </message>
    <message>
        <source>Show files</source>
        <translation>ファイルを表示</translation>
    </message>
    <message>
        <source>Show the stems of %1</source>
        <translation>%1 のステムを表示</translation>
    </message>
    <message>
        <source>Remove %1 from the list</source>
        <translation>%1 をリストから削除</translation>
    </message>
    <message>
        <source>Remove from the list</source>
        <translation>リストから削除</translation>
    </message>
</context>
<context>
    <name>JobListPanel</name>
    <message>
        <source>Queue</source>
        <translation>キュー</translation>
    </message>
    <message>
        <source>%1 ready · %2 in progress · %3 done</source>
        <translation>準備完了 %1 · 処理中 %2 · 完了 %3</translation>
    </message>
    <message>
        <source>%1 ready · %2 in progress · %3 done · %4 failed</source>
        <translation>準備完了 %1 · 処理中 %2 · 完了 %3 · 失敗 %4</translation>
    </message>
    <message>
        <source>Clear finished</source>
        <translation>完了分を消去</translation>
    </message>
    <message>
        <source>Remove finished, failed and cancelled jobs</source>
        <translation>完了・失敗・キャンセルしたジョブを削除</translation>
    </message>
    <message>
        <source>Overall progress</source>
        <translation>全体の進行状況</translation>
    </message>
    <message>
        <source>Jobs</source>
        <translation>ジョブ</translation>
    </message>
    <message>
        <source>Drop audio files or folders anywhere on this window</source>
        <translation>オーディオファイルやフォルダーをこのウィンドウのどこにでもドロップしてください</translation>
    </message>
    <message>
        <source>WAV, FLAC, Ogg, Opus, MP3 and AIFF are read. Folders are searched recursively.</source>
        <translation>WAV、FLAC、Ogg、Opus、MP3、AIFF を読み込めます。フォルダーはサブフォルダーまで検索します。</translation>
    </message>
    <message>
        <source>Open audio files…</source>
        <translation>オーディオファイルを開く…</translation>
    </message>
    <message>
        <source>Separate the demo loop</source>
        <translation>デモループを分離</translation>
    </message>
    <message>
        <source>Separates the drum loop bundled with StemDeck and opens its stems in the preview</source>
        <translation>StemDeck に同梱のドラムループを分離し、ステムをプレビューで開きます</translation>
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
        <translation>設定</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>モデル</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>プレビュー</translation>
    </message>
    <message>
        <source>Profile</source>
        <translation>プロファイリング</translation>
    </message>
    <message>
        <source>Open audio files</source>
        <translation>オーディオファイルを開く</translation>
    </message>
    <message>
        <source>Audio files (%1)</source>
        <translation>オーディオファイル (%1)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>すべてのファイル (*)</translation>
    </message>
    <message>
        <source>Choose the export folder</source>
        <translation>書き出し先フォルダーを選択</translation>
    </message>
    <message>
        <source>Add a folder of audio files</source>
        <translation>オーディオファイルのフォルダーを追加</translation>
    </message>
</context>
<context>
    <name>ModelPanel</name>
    <message>
        <source>Models</source>
        <translation>モデル</translation>
    </message>
    <message>
        <source>Bundled</source>
        <translation>同梱</translation>
    </message>
    <message>
        <source>Imported</source>
        <translation>インポート済み</translation>
    </message>
    <message>
        <source>Downloaded</source>
        <translation>ダウンロード済み</translation>
    </message>
    <message>
        <source>Stems: %1</source>
        <translation>ステム: %1</translation>
    </message>
    <message>
        <source>Download progress of %1</source>
        <translation>%1 のダウンロード状況</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>一時停止</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>ダウンロード</translation>
    </message>
    <message>
        <source>Pause the download of %1</source>
        <translation>%1 のダウンロードを一時停止</translation>
    </message>
    <message>
        <source>Download %1</source>
        <translation>%1 をダウンロード</translation>
    </message>
    <message>
        <source>Import model…</source>
        <translation>モデルをインポート…</translation>
    </message>
    <message>
        <source>Import a model checkpoint and its configuration</source>
        <translation>モデルのチェックポイントと設定ファイルをインポート</translation>
    </message>
    <message>
        <source>Select the .ckpt or .safetensors file and its .yaml together.</source>
        <translation>.ckpt または .safetensors ファイルと、その .yaml を一緒に選択してください。</translation>
    </message>
    <message>
        <source>Import a model</source>
        <translation>モデルをインポート</translation>
    </message>
    <message>
        <source>Model files (*.ckpt *.safetensors *.yaml *.yml)</source>
        <translation>モデルファイル (*.ckpt *.safetensors *.yaml *.yml)</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>破棄</translation>
    </message>
    <message>
        <source>Delete the partial download of %1</source>
        <translation>%1 の途中までのダウンロードを削除</translation>
    </message>
    <message>
        <source>Delete what was downloaded so far</source>
        <translation>これまでにダウンロードした分を削除</translation>
    </message>
</context>
<context>
    <name>ProfilingPanel</name>
    <message>
        <source>Load model</source>
        <translation>モデル読み込み</translation>
    </message>
    <message>
        <source>Decode</source>
        <translation>デコード</translation>
    </message>
    <message>
        <source>Resample</source>
        <translation>リサンプル</translation>
    </message>
    <message>
        <source>Warm-up</source>
        <translation>ウォームアップ</translation>
    </message>
    <message>
        <source>Transfer</source>
        <translation>転送</translation>
    </message>
    <message>
        <source>STFT</source>
        <translation>STFT</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>モデル</translation>
    </message>
    <message>
        <source>iSTFT</source>
        <translation>iSTFT</translation>
    </message>
    <message>
        <source>Overlap-add</source>
        <translation>オーバーラップ加算</translation>
    </message>
    <message>
        <source>Encode</source>
        <translation>エンコード</translation>
    </message>
    <message>
        <source>Write</source>
        <translation>書き込み</translation>
    </message>
    <message>
        <source>n/a</source>
        <translation>なし</translation>
    </message>
    <message>
        <source>Device: %1</source>
        <translation>デバイス: %1</translation>
    </message>
    <message>
        <source>%1x real-time</source>
        <translation>実時間の %1 倍</translation>
    </message>
    <message>
        <source>Warm-up %1 s</source>
        <translation>ウォームアップ %1 秒</translation>
    </message>
    <message>
        <source>Batch %1 (%2 batches)</source>
        <translation>バッチ %1（%2 回）</translation>
    </message>
    <message>
        <source>Wall %1 s</source>
        <translation>経過 %1 秒</translation>
    </message>
    <message>
        <source>Export Chrome trace</source>
        <translation>Chrome トレースを書き出す</translation>
    </message>
    <message>
        <source>Trace written to %1 (open it in ui.perfetto.dev)</source>
        <translation>トレースを %1 に書き出しました（ui.perfetto.dev で開けます）</translation>
    </message>
    <message>
        <source>Export summary</source>
        <translation>概要を書き出す</translation>
    </message>
    <message>
        <source>No job profiled yet: start a separation to see where its time and memory go.</source>
        <translation>まだプロファイルされたジョブはありません。分離を開始すると、時間とメモリの使われ方が表示されます。</translation>
    </message>
    <message>
        <source>Summary written to %1</source>
        <translation>概要を %1 に書き出しました</translation>
    </message>
    <message>
        <source>Time per stage</source>
        <translation>段階ごとの時間</translation>
    </message>
    <message>
        <source>Throughput (x real-time), peak %1</source>
        <translation>スループット（実時間比）、最大 %1</translation>
    </message>
    <message>
        <source>Memory peaks: process (blue) %1, device (orange) %2; budget (red) %3</source>
        <translation>メモリのピーク: プロセス（青）%1、デバイス（橙）%2、上限（赤）%3</translation>
    </message>
    <message>
        <source>Batch changes, fallbacks and warnings</source>
        <translation>バッチ変更・フォールバック・警告</translation>
    </message>
    <message>
        <source>%1 MiB</source>
        <translation>%1 MiB</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>%1 s  %2: %3</source>
        <translation>%1 秒  %2: %3</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>Work moved to another device</source>
        <translation>処理を別のデバイスに移しました</translation>
    </message>
    <message>
        <source>The job goes on there; results are the same, only slower.</source>
        <translation>ジョブは移動先で続行されます。結果は同じですが、処理に時間がかかります。</translation>
    </message>
    <message>
        <source>Batch size changed</source>
        <translation>バッチサイズを変更しました</translation>
    </message>
    <message>
        <source>Backend warning</source>
        <translation>バックエンドの警告</translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation>%1 を書き込めませんでした: %2</translation>
    </message>
</context>
<context>
    <name>SettingsPanel</name>
    <message>
        <source>Separation</source>
        <translation>分離</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>デバイス</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Overlap</source>
        <translation>オーバーラップ</translation>
    </message>
    <message>
        <source>Model&apos;s</source>
        <translation>モデル既定</translation>
    </message>
    <message>
        <source>The model&apos;s own overlap</source>
        <translation>モデル自身のオーバーラップ</translation>
    </message>
    <message>
        <source>The overlap the model was measured at</source>
        <translation>モデルの評価に使われたオーバーラップ</translation>
    </message>
    <message>
        <source>Soft masks</source>
        <translation>ソフトマスク</translation>
    </message>
    <message>
        <source>The model&apos;s soft masks</source>
        <translation>モデルのソフトマスク</translation>
    </message>
    <message>
        <source>Share the mix between the stems by their spectra, as the model&apos;s config asks. Off is faster, but a model trained with them, such as the bundled one, separates worse without</source>
        <translation>モデルの設定どおり、スペクトルに応じてミックスをステムに振り分けます。オフにすると高速になりますが、同梱モデルのようにこれを使って学習したモデルでは分離の質が下がります</translation>
    </message>
    <message>
        <source>Stereo filter</source>
        <translation>ステレオフィルター</translation>
    </message>
    <message>
        <source>The model&apos;s stereo filter</source>
        <translation>モデルのステレオフィルター</translation>
    </message>
    <message>
        <source>Tell the stems apart by where they sit in the stereo image (a multichannel Wiener filter), as the model&apos;s config asks. Off is faster, but a model trained with it, such as the bundled one, separates worse without</source>
        <translation>ステレオ像の中の位置でステムを聞き分けます（マルチチャンネル・ウィーナーフィルター）。モデルの設定どおりに使います。オフにすると速くなりますが、これで学習したモデル（同梱のモデルなど）は分離が悪くなります</translation>
    </message>
    <message>
        <source>Extra passes</source>
        <translation>追加パス</translation>
    </message>
    <message>
        <source>About 2x slower</source>
        <translation>約2倍遅い</translation>
    </message>
    <message>
        <source>Extra passes: the model also hears the audio mirrored and inverted</source>
        <translation>追加パス: モデルは左右を入れ替えた音と極性を反転した音も聞きます</translation>
    </message>
    <message>
        <source>The model also hears the audio with left and right swapped and with its polarity inverted, and the results are averaged (test-time augmentation). About twice the time; on the bundled drum model it measured no clear gain</source>
        <translation>モデルは左右を入れ替えた音と極性を反転した音も聞き、結果を平均します（テスト時拡張）。処理時間は約2倍です。同梱のドラムモデルでははっきりした改善は測定されていません</translation>
    </message>
    <message>
        <source>More overlap is smoother and slower</source>
        <translation>オーバーラップを増やすと滑らかになりますが遅くなります</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>バッチサイズ</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>自動</translation>
    </message>
    <message>
        <source>Automatic batch size</source>
        <translation>バッチサイズを自動設定</translation>
    </message>
    <message>
        <source>Precision</source>
        <translation>精度</translation>
    </message>
    <message>
        <source>Full (32-bit float)</source>
        <translation>フル (32 ビット浮動小数点)</translation>
    </message>
    <message>
        <source>Half (16-bit float)</source>
        <translation>ハーフ (16 ビット浮動小数点)</translation>
    </message>
    <message>
        <source>Half (bfloat16)</source>
        <translation>ハーフ (bfloat16)</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>書き出し</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>形式</translation>
    </message>
    <message>
        <source>Output format</source>
        <translation>出力形式</translation>
    </message>
    <message>
        <source>File names</source>
        <translation>ファイル名</translation>
    </message>
    <message>
        <source>File name pattern</source>
        <translation>ファイル名のパターン</translation>
    </message>
    <message>
        <source>Example: %1</source>
        <translation>例: %1</translation>
    </message>
    <message>
        <source>Destination</source>
        <translation>書き出し先</translation>
    </message>
    <message>
        <source>Next to the source file</source>
        <translation>元のファイルと同じ場所</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>選択…</translation>
    </message>
    <message>
        <source>Choose the export folder</source>
        <translation>書き出し先フォルダーを選択</translation>
    </message>
    <message>
        <source>Stems</source>
        <translation>ステム</translation>
    </message>
    <message>
        <source>Export %1</source>
        <translation>%1 を書き出す</translation>
    </message>
    <message>
        <source>Choose a model to see its stems</source>
        <translation>モデルを選ぶとステムが表示されます</translation>
    </message>
    <message>
        <source>Also export the residual (mix minus the chosen stems)</source>
        <translation>残差も書き出す (ミックスから選択したステムを引いたもの)</translation>
    </message>
    <message>
        <source>Export the residual</source>
        <translation>残差を書き出す</translation>
    </message>
    <message>
        <source>Export automatically when a job ends</source>
        <translation>ジョブ完了時に自動で書き出す</translation>
    </message>
    <message>
        <source>Appearance</source>
        <translation>外観</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>言語</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>テーマ</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>システムに従う</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>ライト</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>ダーク</translation>
    </message>
</context>
<context>
    <name>StemPreviewPanel</name>
    <message>
        <source>Exported %1</source>
        <translation>%1 を書き出しました</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>一時停止</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>再生</translation>
    </message>
    <message>
        <source>Clear loop</source>
        <translation>ループを解除</translation>
    </message>
    <message>
        <source>Loop %1 - %2</source>
        <translation>ループ %1 – %2</translation>
    </message>
    <message>
        <source>Original (A/B)</source>
        <translation>原音（A/B）</translation>
    </message>
    <message>
        <source>Export all but muted</source>
        <translation>ミュート以外を書き出す</translation>
    </message>
    <message>
        <source>Loading stems...</source>
        <translation>ステムを読み込み中…</translation>
    </message>
    <message>
        <source>A finished job opens here: click it in the queue to hear its stems.</source>
        <translation>完了したジョブはここに開きます。キューでクリックすると、そのステムを聴けます。</translation>
    </message>
    <message>
        <source>M</source>
        <extracomment>One-letter label of the mute button of a stem</extracomment>
        <translation>M</translation>
    </message>
    <message>
        <source>Mute %1</source>
        <translation>%1 をミュート</translation>
    </message>
    <message>
        <source>S</source>
        <extracomment>One-letter label of the solo button of a stem</extracomment>
        <translation>S</translation>
    </message>
    <message>
        <source>Solo %1</source>
        <translation>%1 をソロ</translation>
    </message>
    <message>
        <source>Volume of %1</source>
        <translation>%1 の音量</translation>
    </message>
    <message>
        <source>Original mix</source>
        <translation>元のミックス</translation>
    </message>
    <message>
        <source>Exported %1 (%2)</source>
        <translation>%1 を書き出しました（%2）</translation>
    </message>
    <message>
        <source>Play the original mix (A/B)</source>
        <translation>元のミックスを再生 (A/B)</translation>
    </message>
</context>
<context>
    <name>Toolbar</name>
    <message>
        <source>Open…</source>
        <translation>開く…</translation>
    </message>
    <message>
        <source>Open audio files</source>
        <translation>オーディオファイルを開く</translation>
    </message>
    <message>
        <source>Open audio files (Ctrl+O)</source>
        <translation>オーディオファイルを開く (Ctrl+O)</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>開始</translation>
    </message>
    <message>
        <source>Start separating</source>
        <translation>分離を開始</translation>
    </message>
    <message>
        <source>Separate the ready files (Ctrl+Return)</source>
        <translation>準備済みのファイルを分離 (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>Cancel all</source>
        <translation>すべてキャンセル</translation>
    </message>
    <message>
        <source>Cancel all jobs</source>
        <translation>すべてのジョブをキャンセル</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>書き出し</translation>
    </message>
    <message>
        <source>Export finished jobs</source>
        <translation>完了したジョブを書き出す</translation>
    </message>
    <message>
        <source>Export finished jobs that are not exported yet (Ctrl+E)</source>
        <translation>未書き出しの完了ジョブを書き出す (Ctrl+E)</translation>
    </message>
    <message>
        <source>Model: %1</source>
        <translation>モデル: %1</translation>
    </message>
    <message>
        <source>No model chosen</source>
        <translation>モデルが選択されていません</translation>
    </message>
    <message>
        <source>About</source>
        <translation>バージョン情報</translation>
    </message>
    <message>
        <source>About StemDeck</source>
        <translation>StemDeck について</translation>
    </message>
    <message>
        <source>Cancel queued and running jobs (Ctrl+Shift+X)</source>
        <translation>待機中と実行中のジョブをキャンセル (Ctrl+Shift+X)</translation>
    </message>
    <message>
        <source>Add folder…</source>
        <translation>フォルダーを追加…</translation>
    </message>
    <message>
        <source>Add a folder of audio files</source>
        <translation>オーディオファイルのフォルダーを追加</translation>
    </message>
    <message>
        <source>Add every audio file in a folder and its subfolders (Ctrl+Shift+O)</source>
        <translation>フォルダーとそのサブフォルダー内のすべてのオーディオファイルを追加 (Ctrl+Shift+O)</translation>
    </message>
</context>
<context>
    <name>UnsupportedFilesDialog</name>
    <message>
        <source>Some files were not added</source>
        <translation>追加されなかったファイルがあります</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) are not audio StemDeck can read, or no longer exist:</source>
        <translation>
            <numerusform>%n 個のファイルは StemDeck が読めない形式か、既に存在しません:</numerusform>
        </translation>
    </message>
    <message>
        <source>Files not added</source>
        <translation>追加されなかったファイル</translation>
    </message>
</context>
<context>
    <name>stemdeck::preview::StemPreview</name>
    <message>
        <source>The stem folder %1 does not exist.</source>
        <translation>ステムのフォルダー %1 が存在しません。</translation>
    </message>
    <message>
        <source>The folder %1 holds no audio files.</source>
        <translation>フォルダー %1 にオーディオファイルがありません。</translation>
    </message>
    <message>
        <source>No audio output device was found, so playback is off. Waveforms, mute and solo, and export still work.</source>
        <translation>オーディオ出力デバイスが見つからないため、再生はできません。波形表示、ミュートとソロ、書き出しは使えます。</translation>
    </message>
    <message>
        <source>The audio device %1 cannot play %2 Hz audio, so playback is off.</source>
        <translation>オーディオデバイス %1 は %2 Hz の音声を再生できないため、再生はできません。</translation>
    </message>
    <message>
        <source>The audio device could not be opened, so playback is off. Waveforms, mute and solo, and export still work.</source>
        <translation>オーディオデバイスを開けないため、再生はできません。波形表示、ミュートとソロ、書き出しは使えます。</translation>
    </message>
    <message>
        <source>An export is already running.</source>
        <translation>書き出しはすでに実行中です。</translation>
    </message>
    <message>
        <source>No stems are loaded.</source>
        <translation>ステムが読み込まれていません。</translation>
    </message>
    <message>
        <source>Cannot export to %1: use a .wav, .flac, .ogg or .mp3 name.</source>
        <translation>%1 には書き出せません。.wav、.flac、.ogg、.mp3 の名前にしてください。</translation>
    </message>
</context>
<context>
    <name>stemdeck::ui::AppController</name>
    <message>
        <source>Separation is not available</source>
        <translation>分離は利用できません</translation>
    </message>
    <message>
        <source>This build of StemDeck has no separation engine.</source>
        <translation>この StemDeck のビルドには分離エンジンが含まれていません。</translation>
    </message>
    <message>
        <source>The file name pattern is not valid</source>
        <translation>ファイル名のパターンが無効です</translation>
    </message>
    <message>
        <source>No model is chosen</source>
        <translation>モデルが選択されていません</translation>
    </message>
    <message>
        <source>Choose the bundled model, import one or download one from the catalogue.</source>
        <translation>同梱モデルを選ぶか、モデルをインポートするか、カタログからダウンロードしてください。</translation>
    </message>
    <message>
        <source>It no longer exists: it was moved, renamed or deleted.</source>
        <translation>ファイルはもう存在しません（移動、名前の変更、または削除されました）。</translation>
    </message>
    <message>
        <source>It holds no audio.</source>
        <translation>ファイルに音声が含まれていません。</translation>
    </message>
    <message>
        <source>It is damaged, cut short, or not audio that StemDeck reads (WAV, FLAC, Ogg, Opus, MP3, AIFF).</source>
        <translation>ファイルが破損しているか、途中で切れているか、StemDeck が読める音声（WAV、FLAC、Ogg、Opus、MP3、AIFF）ではありません。</translation>
    </message>
    <message>
        <source>Its name is not valid UTF-8 (it was probably named on a system with another character set), so it cannot be opened. Rename it and add it again.</source>
        <translation>ファイル名が有効な UTF-8 ではないため（別の文字コードのシステムで名前が付けられた可能性があります）、開けません。名前を変更してから、もう一度追加してください。</translation>
    </message>
    <message>
        <source>You do not have permission to read it.</source>
        <translation>このファイルを読み取る権限がありません。</translation>
    </message>
    <message>
        <source>The model is no longer there</source>
        <translation>モデルが見つかりません</translation>
    </message>
    <message>
        <source>The files of %1 were deleted or moved. Download or import it again, or choose another model; the jobs wait.</source>
        <translation>%1 のファイルが削除または移動されました。もう一度ダウンロードまたはインポートするか、別のモデルを選んでください。ジョブは待機します。</translation>
    </message>
</context>
<context>
    <name>stemdeck::ui::ErrorBannerModel</name>
    <message>
        <source>Retry</source>
        <translation>再試行</translation>
    </message>
    <message>
        <source>Retry on CPU</source>
        <translation>CPU で再試行</translation>
    </message>
    <message>
        <source>Use a smaller batch</source>
        <translation>バッチを小さくする</translation>
    </message>
    <message>
        <source>Choose another folder</source>
        <translation>別のフォルダーを選択</translation>
    </message>
    <message>
        <source>Open folder</source>
        <translation>フォルダーを開く</translation>
    </message>
    <message>
        <source>Choose another model</source>
        <translation>別のモデルを選択</translation>
    </message>
    <message>
        <source>Show the file</source>
        <translation>ファイルを表示</translation>
    </message>
    <message>
        <source>Copy report</source>
        <translation>レポートをコピー</translation>
    </message>
</context>
<context>
    <name>stemdeck::ui::JobListModel</name>
    <message>
        <source>Ready</source>
        <translation>準備完了</translation>
    </message>
    <message>
        <source>Queued</source>
        <translation>待機中</translation>
    </message>
    <message>
        <source>Separating</source>
        <translation>分離中</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完了</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失敗</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>キャンセル済み</translation>
    </message>
    <message>
        <source>%1 left</source>
        <translation>残り %1</translation>
    </message>
    <message>
        <source>Exported</source>
        <translation>書き出し済み</translation>
    </message>
    <message>
        <source>Not exported yet</source>
        <translation>まだ書き出していません</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) in %1</source>
        <translation>
            <numerusform>%1 に %n 個のファイル</numerusform>
        </translation>
    </message>
    <message>
        <source>In %1</source>
        <translation>%1 内</translation>
    </message>
</context>
<context>
    <name>stemdeck::ui::JobQueueBackend</name>
    <message>
        <source>%1 already exists; StemDeck does not overwrite files.</source>
        <translation>%1 は既に存在します。StemDeck はファイルを上書きしません。</translation>
    </message>
    <message>
        <source>Cannot create the folder %1.</source>
        <translation>フォルダー %1 を作成できません。</translation>
    </message>
    <message>
        <source>Cannot write %1: the folder may be read-only or the disk full.</source>
        <translation>%1 を書き込めません。フォルダーが読み取り専用か、ディスクがいっぱいの可能性があります。</translation>
    </message>
    <message>
        <source>Export of %1 stopped</source>
        <translation>%1 の書き出しが中断されました</translation>
    </message>
    <message>
        <source>The export folder is read-only</source>
        <translation>書き出し先フォルダーは読み取り専用です</translation>
    </message>
    <message>
        <source>StemDeck cannot write into %1. Choose a folder you can write to.</source>
        <translation>StemDeck は %1 に書き込めません。書き込み可能なフォルダーを選んでください。</translation>
    </message>
    <message>
        <source>The disk is full</source>
        <translation>ディスクがいっぱいです</translation>
    </message>
    <message>
        <source>There is not enough free space in %1 for the stems. Free some space or choose another folder.</source>
        <translation>%1 にステムを保存する空き容量がありません。空き容量を増やすか、別のフォルダーを選んでください。</translation>
    </message>
    <message>
        <source>The stems of %1 already exist</source>
        <translation>%1 のステムは既に存在します</translation>
    </message>
    <message>
        <source>StemDeck never overwrites files. Choose another folder or file name pattern.</source>
        <translation>StemDeck はファイルを上書きしません。別のフォルダーかファイル名のパターンを選んでください。</translation>
    </message>
    <message>
        <source>Not enough memory to separate %1</source>
        <translation>%1 を分離するためのメモリが足りません</translation>
    </message>
    <message>
        <source>Use a smaller batch, close other programs, or separate on the CPU.</source>
        <translation>バッチを小さくするか、ほかのプログラムを閉じるか、CPU で分離してください。</translation>
    </message>
    <message>
        <source>The file is no longer where it was added: it was moved, renamed or deleted. Add it again from where it is now.</source>
        <translation>追加した場所にファイルがありません（移動、名前の変更、または削除されました）。現在の場所からもう一度追加してください。</translation>
    </message>
    <message>
        <source>The file holds no audio. Export it again from the program that made it.</source>
        <translation>ファイルに音声が含まれていません。作成したプログラムからもう一度書き出してください。</translation>
    </message>
    <message>
        <source>The file holds invalid samples (NaN or infinity), written by a faulty program. Export it again, or convert it with an audio editor.</source>
        <translation>ファイルに不正なサンプル（NaN または無限大）が含まれています。不具合のあるプログラムが書き込んだものです。もう一度書き出すか、オーディオエディターで変換してください。</translation>
    </message>
    <message>
        <source>The file is damaged, cut short, or not audio that StemDeck reads (WAV, FLAC, Ogg, Opus, MP3, AIFF). Open it in an audio editor or converter and save it again, then retry.</source>
        <translation>ファイルが破損しているか、途中で切れているか、StemDeck が読める音声（WAV、FLAC、Ogg、Opus、MP3、AIFF）ではありません。オーディオエディターまたは変換ソフトで開いて保存し直してから、再試行してください。</translation>
    </message>
    <message>
        <source>The device failed while separating %1</source>
        <translation>%1 の分離中にデバイスでエラーが発生しました</translation>
    </message>
    <message>
        <source>Cannot read %1</source>
        <translation>%1 を読み込めません</translation>
    </message>
    <message>
        <source>The model cannot be used</source>
        <translation>このモデルは使用できません</translation>
    </message>
    <message>
        <source>A stem of %1 would clip</source>
        <translation>%1 のステムがクリップします</translation>
    </message>
    <message>
        <source>Choose 32-bit float WAV to keep the full level.</source>
        <translation>レベルを保つには WAV 32 ビット浮動小数点を選んでください。</translation>
    </message>
    <message>
        <source>Separating %1 failed</source>
        <translation>%1 の分離に失敗しました</translation>
    </message>
</context>
<context>
    <name>stemdeck::ui::ModelCatalogue</name>
    <message>
        <source>%1: the file does not exist.</source>
        <translation>%1: ファイルが存在しません。</translation>
    </message>
    <message>
        <source>%1: not a checkpoint (.ckpt or .safetensors).</source>
        <translation>%1: チェックポイント (.ckpt または .safetensors) ではありません。</translation>
    </message>
    <message>
        <source>%1: the file is empty.</source>
        <translation>%1: ファイルが空です。</translation>
    </message>
    <message>
        <source>%1: not a model configuration (.yaml).</source>
        <translation>%1: モデル設定ファイル (.yaml) ではありません。</translation>
    </message>
    <message>
        <source>%1: cannot be read (%2).</source>
        <translation>%1: 読み込めません (%2)。</translation>
    </message>
    <message>
        <source>%1: the configuration names no stems (training.instruments).</source>
        <translation>%1: 設定にステムが指定されていません (training.instruments)。</translation>
    </message>
    <message numerus="yes">
        <source>%n stem(s)</source>
        <translation>
            <numerusform>%n 個のステム</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 Hz</source>
        <translation>%1 Hz</translation>
    </message>
    <message>
        <source>%1 M parameters</source>
        <translation>パラメーター %1 M</translation>
    </message>
    <message>
        <source>Bundled with StemDeck</source>
        <translation>StemDeck に同梱</translation>
    </message>
    <message>
        <source>Choose a checkpoint (.ckpt or .safetensors) together with its .yaml.</source>
        <translation>チェックポイント (.ckpt または .safetensors) とその .yaml を一緒に選んでください。</translation>
    </message>
    <message>
        <source>%1 needs its configuration: select the .yaml file too.</source>
        <translation>%1 には設定ファイルが必要です。.yaml ファイルも選択してください。</translation>
    </message>
    <message>
        <source>The downloaded model cannot be used, so it was deleted: %1</source>
        <translation>ダウンロードしたモデルは使用できないため、削除しました: %1</translation>
    </message>
    <message>
        <source>Another StemDeck window is downloading this model; discard it there.</source>
        <translation>別の StemDeck ウィンドウがこのモデルをダウンロードしています。そちらで破棄してください。</translation>
    </message>
</context>
<context>
    <name>stemdeck::ui::ModelDownloader</name>
    <message>
        <source>%1 already exists; StemDeck does not overwrite models.</source>
        <translation>%1 は既に存在します。StemDeck はモデルを上書きしません。</translation>
    </message>
    <message>
        <source>Cannot create the folder %1.</source>
        <translation>フォルダー %1 を作成できません。</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>%1 を書き込めません: %2</translation>
    </message>
    <message>
        <source>Download of %1 stopped: %2</source>
        <translation>%1 のダウンロードが中断されました: %2</translation>
    </message>
    <message>
        <source>Download of %1 stopped after %2 of %3 bytes; it will resume.</source>
        <translation>%1 のダウンロードは %3 バイト中 %2 バイトで中断されました。自動的に再開します。</translation>
    </message>
    <message>
        <source>%1 is larger than published (%2 bytes, expected %3); it was deleted.</source>
        <translation>%1 は公開サイズより大きいため削除しました (%2 バイト、期待値 %3)。</translation>
    </message>
    <message>
        <source>%1 does not match its published SHA-256 checksum (got %2); the file was deleted.</source>
        <translation>%1 は公開された SHA-256 チェックサムと一致しないため削除しました (実際の値 %2)。</translation>
    </message>
    <message>
        <source>Cannot move the download into place at %1.</source>
        <translation>ダウンロードしたファイルを %1 に移動できません。</translation>
    </message>
    <message>
        <source>The server resumed %1 at another place than asked; the partial download was deleted. Start the download again.</source>
        <translation>サーバーが %1 を要求とは別の位置から再開したため、途中までのダウンロードを削除しました。もう一度ダウンロードしてください。</translation>
    </message>
    <message>
        <source>The partial download of %1 does not fit the file the server has now; it was deleted. Start the download again.</source>
        <translation>%1 の途中までのダウンロードは、サーバーにある現在のファイルと一致しないため削除しました。もう一度ダウンロードしてください。</translation>
    </message>
    <message>
        <source>Download of %1 stalled: nothing arrived for %2 s. Start it again to resume.</source>
        <translation>%1 のダウンロードが停止しました: %2 秒間データが届きませんでした。もう一度開始すると再開します。</translation>
    </message>
    <message>
        <source>%1 is being downloaded by another StemDeck window. Let it finish there, or close that window and try again.</source>
        <translation>%1 は別の StemDeck ウィンドウでダウンロード中です。そちらで完了するのを待つか、そのウィンドウを閉じてからもう一度お試しください。</translation>
    </message>
    <message>
        <source>Cannot write in the folder %1.</source>
        <translation>フォルダー %1 に書き込めません。</translation>
    </message>
</context>
<context>
    <name>stemdeck::ui::SettingsModel</name>
    <message>
        <source>The pattern needs {stem}, or every stem would get the same name.</source>
        <translation>パターンには {stem} が必要です。ないとすべてのステムが同じ名前になります。</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>自動</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>WAV, 16-bit</source>
        <translation>WAV 16 ビット</translation>
    </message>
    <message>
        <source>WAV, 24-bit</source>
        <translation>WAV 24 ビット</translation>
    </message>
    <message>
        <source>WAV, 32-bit float</source>
        <translation>WAV 32 ビット浮動小数点</translation>
    </message>
    <message>
        <source>FLAC, 16-bit</source>
        <translation>FLAC 16 ビット</translation>
    </message>
    <message>
        <source>FLAC, 24-bit</source>
        <translation>FLAC 24 ビット</translation>
    </message>
    <message>
        <source>MP3, variable bit rate (V0)</source>
        <translation>MP3 可変ビットレート (V0)</translation>
    </message>
    <message>
        <source>MP3, 320 kbit/s</source>
        <translation>MP3 320 kbit/s</translation>
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
        <translation>システムの言語</translation>
    </message>
</context>
</TS>
