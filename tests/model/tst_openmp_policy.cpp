// The start-up hook of model/openmp_policy.cpp: a program that links the network runs with
// OMP_WAIT_POLICY=PASSIVE unless the user chose a policy or a spin count, in which case the
// user's setting is what the OpenMP runtime sees. ctest runs this binary three times with
// different environments (tests/model/CMakeLists.txt) and says what to expect through
// STEMDECK_EXPECT_OMP_WAIT ("<value>|stemdeck" or "<value>|user"; empty value = unset).
#include "model/openmp_policy.h"

#include <QtTest>


using namespace stemdeck::model;

class TestOpenMpPolicy : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void policyIsWhatTheEnvironmentCalledFor() {
        const QByteArray expect = qgetenv("STEMDECK_EXPECT_OMP_WAIT");
        QVERIFY2(expect.contains('|'), "run through ctest: STEMDECK_EXPECT_OMP_WAIT says what to expect");
        const QByteArray value = expect.left(expect.indexOf('|'));
        const bool byStemDeck = expect.mid(expect.indexOf('|') + 1) == "stemdeck";

        const OpenMpWaitPolicy policy = openMpWaitPolicy();
        QCOMPARE(QByteArray::fromStdString(policy.value), value);
        QCOMPARE(policy.setByStemDeck, byStemDeck);
        // What the hook recorded is the environment the OpenMP runtime read at start-up.
        QCOMPARE(qgetenv("OMP_WAIT_POLICY"), value);
    }

    void argumentsSurviveTheRestart() {
        // The restart (when there was one) keeps argv: ctest passes "-maxwarnings 100".
        const QStringList args = QCoreApplication::arguments();
        const qsizetype at = args.indexOf("-maxwarnings");
        QVERIFY2(at > 0 && at + 1 < args.size() && args[at + 1] == "100", qPrintable(args.join(' ')));
    }
};

QTEST_GUILESS_MAIN(TestOpenMpPolicy)
#include "tst_openmp_policy.moc"
