package dev.ferry.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of Ferry's main code (docs/architecture.md): dialects know databases and nothing of Flink; the
 * conflict rules are pure decisions; the channel file's parser knows nothing of the running job; only dialects (and
 * cdc-compat's patches of upstream code) name a JDBC driver's classes. Outside dialects, only the MySQL
 * dialect's constants are named; branches on the kind of database outside dialects (ChannelCheck, ChannelPrepare,
 * TargetChecks' privileges: issue 18) are not caught by this.
 */
class LayeringTest {
    private static JavaClasses ferry;

    @BeforeAll
    static void importMainClasses() {
        // the other modules' classes come from their jars in a build that packaged them (mvn verify)
        ferry = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.ferry");
    }

    /** Else a rule about a layer whose classes were not imported would hold for want of classes. */
    @Test
    void everyLayerIsImported() {
        for (String layer : new String[] {"dev.ferry.dialect", "dev.ferry.conflict", "dev.ferry.config",
            "dev.ferry.operators.sink", "dev.ferry.compat", "dev.ferry.job"}) {
            org.assertj.core.api.Assertions.assertThat(ferry.containPackage(layer)).as(layer).isTrue();
        }
    }

    @Test
    void dialectsUseNoFlink() {
        noClasses().that().resideInAPackage("dev.ferry.dialect..").should().dependOnClassesThat()
                .resideInAPackage("org.apache.flink..").check(ferry);
    }

    @Test
    void conflictRulesAreDecisionsWithoutADatabaseOrFlink() {
        noClasses().that().resideInAPackage("dev.ferry.conflict..").should().dependOnClassesThat()
                .resideInAnyPackage("org.apache.flink..", "java.sql..", "dev.ferry.dialect..", "dev.ferry.operators..")
                .check(ferry);
    }

    @Test
    void theChannelFileKnowsNothingOfTheRunningJob() {
        noClasses().that().resideInAPackage("dev.ferry.config..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.ferry.operators..", "dev.ferry.job..", "org.apache.flink.streaming..")
                .check(ferry);
    }

    /**
     * The rest of Ferry reaches a database through {@code Dialects}, a {@code DialectFactory} and a {@code Dialect},
     * so that adding one touches {@code dev.ferry.dialect} only. MySqlDialect's constants for the applying marker
     * (TriggerCheck, RowRepair) are the one exception: MySQL is also the source, not only a target.
     */
    @Test
    void onlyDialectsNameATargetsDialectOrFactory() {
        noClasses().that().resideOutsideOfPackage("dev.ferry.dialect..").should().dependOnClassesThat()
                .haveNameMatching("dev\\.ferry\\.dialect\\.((PostgreSql|Oracle|Target)Dialect|\\w+DialectFactory)")
                .check(ferry);
    }

    /**
     * cdc-compat's workarounds patch upstream code where it is (FLINK-36520's is a MySQL driver interceptor); the test
     * support module starts the test servers and is no part of Ferry.
     */
    @Test
    void onlyDialectsNameADriver() {
        noClasses().that().resideOutsideOfPackages("dev.ferry.dialect..", "dev.ferry.compat..", "dev.ferry.testing..")
                .should().dependOnClassesThat()
                .resideInAnyPackage("com.mysql..", "org.mariadb..", "org.postgresql..", "oracle..").check(ferry);
    }
}
