<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>ErrorBanner</name>
    <message numerus="yes">
        <source>%n more</source>
        <translation>
            <numerusform>%n more problem</numerusform>
            <numerusform>%n more problems</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>UnsupportedFilesDialog</name>
    <message numerus="yes">
        <source>%n file(s) are not audio StemDeck can read, or no longer exist:</source>
        <translation>
            <numerusform>%n file is not audio StemDeck can read, or no longer exists:</numerusform>
            <numerusform>%n files are not audio StemDeck can read, or no longer exist:</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>stemdeck::ui::JobListModel</name>
    <message numerus="yes">
        <source>%n file(s) in %1</source>
        <translation>
            <numerusform>%n file in %1</numerusform>
            <numerusform>%n files in %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>stemdeck::ui::ModelCatalogue</name>
    <message numerus="yes">
        <source>%n stem(s)</source>
        <translation>
            <numerusform>%n stem</numerusform>
            <numerusform>%n stems</numerusform>
        </translation>
    </message>
</context>
</TS>
