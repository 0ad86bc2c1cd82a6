#include "drumkit.h"

#include "common/error.h"

#include <QFile>
#include <QString>
#include <QXmlStreamReader>

namespace stemdeck::train {

namespace {

std::string text(QXmlStreamReader& xml) {
    return xml.readElementText(QXmlStreamReader::IncludeChildElements).trimmed().toStdString();
}

float number(QXmlStreamReader& xml, float fallback) {
    bool ok = false;
    const float v = xml.readElementText().trimmed().toFloat(&ok);
    return ok ? v : fallback;
}

// One <layer> (new layout); the reader stands on its start element.
DrumkitLayer readLayer(QXmlStreamReader& xml, const std::filesystem::path& dir) {
    DrumkitLayer layer;
    while (xml.readNextStartElement()) {
        const auto name = xml.name();
        if (name == u"filename")
            layer.file = dir / std::filesystem::path(text(xml));
        else if (name == u"min")
            layer.minVelocity = number(xml, 0.0f);
        else if (name == u"max")
            layer.maxVelocity = number(xml, 1.0f);
        else if (name == u"gain")
            layer.gain = number(xml, 1.0f);
        else if (name == u"pitch")
            layer.pitch = number(xml, 0.0f);
        else
            xml.skipCurrentElement();
    }
    return layer;
}

// Layers may sit in <instrumentComponent> (Hydrogen >= 0.9.7) or directly in <instrument>.
void readLayers(QXmlStreamReader& xml, const std::filesystem::path& dir, DrumkitInstrument& inst) {
    while (xml.readNextStartElement()) {
        if (xml.name() == u"layer")
            inst.layers.push_back(readLayer(xml, dir));
        else
            xml.skipCurrentElement();
    }
}

DrumkitInstrument readInstrument(QXmlStreamReader& xml, const std::filesystem::path& dir) {
    DrumkitInstrument inst;
    std::filesystem::path oldFile; // Hydrogen 0.9.3 layout: one <filename>, no layers
    while (xml.readNextStartElement()) {
        const auto name = xml.name();
        if (name == u"id")
            inst.id = static_cast<int>(number(xml, -1.0f));
        else if (name == u"name")
            inst.name = text(xml);
        else if (name == u"gain")
            inst.gain = number(xml, 1.0f);
        else if (name == u"filename") {
            const std::string f = text(xml);
            if (!f.empty()) oldFile = dir / std::filesystem::path(f);
        } else if (name == u"layer")
            inst.layers.push_back(readLayer(xml, dir));
        else if (name == u"instrumentComponent")
            readLayers(xml, dir, inst);
        else
            xml.skipCurrentElement();
    }
    if (inst.layers.empty() && !oldFile.empty()) {
        DrumkitLayer layer;
        layer.file = oldFile;
        inst.layers.push_back(layer);
    }
    return inst;
}

} // namespace

const DrumkitInstrument* Drumkit::instrument(const std::string& wanted) const {
    for (const auto& inst : instruments)
        if (inst.name == wanted) return &inst;
    return nullptr;
}

Drumkit readDrumkit(const std::filesystem::path& kitDir) {
    const auto xmlPath = kitDir / "drumkit.xml";
    QFile file(QString::fromStdString(xmlPath.string()));
    if (!file.exists())
        throw Error(ErrorCode::FileNotFound, "Drum kit file not found: " + xmlPath.string());
    if (!file.open(QIODevice::ReadOnly))
        throw Error(ErrorCode::UnreadableFile, "Cannot open drum kit file " + xmlPath.string(),
                    file.errorString().toStdString());

    Drumkit kit;
    kit.dir = kitDir;
    QXmlStreamReader xml(&file);
    if (!xml.readNextStartElement() || xml.name() != u"drumkit_info")
        throw Error(ErrorCode::UnreadableFile,
                    xmlPath.string() + " is not a Hydrogen drum kit (no <drumkit_info> root)",
                    xml.errorString().toStdString());
    while (xml.readNextStartElement()) {
        const auto name = xml.name();
        if (name == u"name")
            kit.name = text(xml);
        else if (name == u"author")
            kit.author = text(xml);
        else if (name == u"license")
            kit.license = text(xml);
        else if (name == u"instrumentList") {
            while (xml.readNextStartElement()) {
                if (xml.name() == u"instrument")
                    kit.instruments.push_back(readInstrument(xml, kitDir));
                else
                    xml.skipCurrentElement();
            }
        } else
            xml.skipCurrentElement();
    }
    if (xml.hasError())
        throw Error(ErrorCode::UnreadableFile,
                    xmlPath.string() + ": XML error at line " + std::to_string(xml.lineNumber()),
                    xml.errorString().toStdString());
    if (kit.name.empty()) kit.name = kitDir.filename().string();
    return kit;
}

} // namespace stemdeck::train
