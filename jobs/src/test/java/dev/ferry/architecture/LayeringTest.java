package dev.ferry.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.InstanceofCheck;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaConstructorCall;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import dev.ferry.config.SiteConfig;
import dev.ferry.dialect.Dialect;
import dev.ferry.dialect.DialectFactory;
import java.util.Objects;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of Ferry's main code (docs/architecture.md): dialects know databases and nothing of Flink; the
 * conflict rules are pure decisions; the channel file's parser knows nothing of the running job; only dialects (and
 * cdc-compat's patches of upstream code) name a JDBC driver's classes. Outside dialects, only the MySQL family's
 * classes are named, and nothing branches on which database a site is (issue 18).
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
     * so that adding one touches {@code dev.ferry.dialect} only. The MySQL family's classes are the one exception
     * (MySqlDialect's applying marker in RowRepair; MySqlAccount and MySqlGrants' privileges in the checks of a site
     * with a binlog): MySQL is also the source, not only a target.
     */
    @Test
    void onlyDialectsNameATargetsDialectOrFactory() {
        noClasses().that().resideOutsideOfPackage("dev.ferry.dialect..").should().dependOnClassesThat()
                .haveNameMatching("dev\\.ferry\\.dialect\\.((\\w+\\.)?(PostgreSql|Oracle)\\w*|TargetDialect"
                        + "|\\w+DialectFactory)")
                .check(ferry);
    }

    /**
     * A site's kind holds its database's name for messages, not for a branch ({@code kind().displayName().equals(
     * "Oracle")}, a {@code switch} on it): what differs between databases is asked of the database's factory or
     * dialect instead. A comparison of the name's string on the line that reads it is taken for such a branch.
     */
    @Test
    void nothingBranchesOnTheNameOfADatabase() {
        classes().that().resideOutsideOfPackage("dev.ferry.dialect..").should(notCompareADatabasesName()).check(ferry);
    }

    /** Else a kind made up to compare a site's with ({@code kind.equals(new Kind("Oracle", false))}) would be a branch. */
    @Test
    void onlyTheSiteMakesItsKind() {
        noClasses().that().doNotBelongToAnyOf(SiteConfig.Kind.class).should().callConstructorWhere(
                DescribedPredicate.describe("a constructor of SiteConfig.Kind",
                        (JavaConstructorCall c) -> c.getTargetOwner().isEquivalentTo(SiteConfig.Kind.class)))
                .check(ferry);
    }

    /** A call of a database's {@code displayName} with a string comparison on its line. */
    private static ArchCondition<JavaClass> notCompareADatabasesName() {
        return new ArchCondition<>("not compare a database's name") {
            @Override
            public void check(JavaClass c, ConditionEvents events) {
                for (JavaMethodCall name : c.getMethodCallsFromSelf()) {
                    if (!isDatabaseName(name)) {
                        continue;
                    }
                    for (JavaMethodCall other : name.getOrigin().getMethodCallsFromSelf()) {
                        if (other.getLineNumber() == name.getLineNumber() && isStringComparison(other)) {
                            events.add(SimpleConditionEvent.violated(name, c.getName() + " compares a database's name "
                                    + name.getSourceCodeLocation()));
                        }
                    }
                }
            }
        };
    }

    private static boolean isDatabaseName(JavaMethodCall call) {
        return call.getName().equals("displayName") && (call.getTargetOwner().isEquivalentTo(SiteConfig.Kind.class)
                || call.getTargetOwner().isAssignableTo(DialectFactory.class));
    }

    /** String's comparisons, and the {@code hashCode} a {@code switch} on a string calls. */
    private static boolean isStringComparison(JavaMethodCall call) {
        return call.getTargetOwner().isEquivalentTo(String.class) && Set.of("equals", "equalsIgnoreCase",
                "contentEquals", "compareTo", "compareToIgnoreCase", "hashCode", "startsWith", "endsWith", "contains",
                "matches").contains(call.getName())
                || call.getTargetOwner().isEquivalentTo(Objects.class) && call.getName().equals("equals");
    }

    /** The other branch on the database: asking a dialect or factory whose it is. */
    @Test
    void onlyDialectsAskWhichDatabaseADialectIs() {
        classes().that().resideOutsideOfPackage("dev.ferry.dialect..").should(notTestWhichDatabaseADialectIs())
                .check(ferry);
    }

    /** {@code x instanceof MySqlDialect}: which database's a dialect or factory is (naming the interface is fine). */
    private static ArchCondition<JavaClass> notTestWhichDatabaseADialectIs() {
        return new ArchCondition<>("not test which database's a dialect or factory is") {
            @Override
            public void check(JavaClass c, ConditionEvents events) {
                for (InstanceofCheck i : c.getInstanceofChecks()) {
                    JavaClass type = i.getRawType();
                    boolean concrete = type.isAssignableTo(Dialect.class) && !type.isEquivalentTo(Dialect.class)
                            || type.isAssignableTo(DialectFactory.class) && !type.isEquivalentTo(DialectFactory.class);
                    if (concrete) {
                        events.add(SimpleConditionEvent.violated(i, c.getName() + " tests instanceof " + type.getName()
                                + " " + i.getSourceCodeLocation()));
                    }
                }
            }
        };
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
