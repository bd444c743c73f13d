// Runs after 'mvn verify' succeeded in the generated broker (context.projectDir): a build that compiles
// nothing or runs no test would also succeed, so check that both tests ran and passed, the
// executable jar is there and the catalog's ids are fresh GUIDs.
import groovy.xml.XmlSlurper
import java.util.regex.Pattern

def projectDir = new File(context.projectDir.toString())
def reports = new File(projectDir, 'target/surefire-reports')
def expected = ['CubridBrokerContractTest', 'CubridLogSecrecyTest']
def ran = 0
expected.each { name ->
    def report = new File(reports, "TEST-org.example.brokers.cubrid.${name}.xml")
    assert report.isFile() : "no test report for ${name}: the generated test did not run"
    def suite = new XmlSlurper().parse(report)
    int tests = suite.@tests.toInteger()
    assert tests > 0 : "${name} ran no test"
    assert suite.@failures.toInteger() == 0 && suite.@errors.toInteger() == 0 && suite.@skipped.toInteger() == 0 :
            "${name}: ${suite.@failures} failures, ${suite.@errors} errors, ${suite.@skipped} skipped"
    ran += tests
}
println "generated broker: ${ran} tests ran and passed"

def jar = new File(projectDir, 'target/cubrid-broker.jar')
assert jar.isFile() : "no executable jar ${jar}"
def entries = new java.util.zip.ZipFile(jar).withCloseable { zip -> zip.entries().collect { it.name } }
assert entries.contains('BOOT-INF/classes/org/example/brokers/cubrid/CubridBrokerApplication.class') :
        "${jar.name} is not a Spring Boot executable jar of the broker"

def guid = Pattern.compile('[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}')
def catalog = new File(projectDir, 'src/main/resources/catalog/cubrid.yml').text
def ids = (catalog =~ /(?m)^\s*- id: (\S+)$/).collect { it[1] }
assert ids.size() == 2 : "expected a service id and a plan id in the catalog, found ${ids}"
ids.each { assert guid.matcher(it).matches() : "catalog id '${it}' is not a random GUID" }
assert ids[0] != ids[1] : "service and plan share the id ${ids[0]}"
return true
