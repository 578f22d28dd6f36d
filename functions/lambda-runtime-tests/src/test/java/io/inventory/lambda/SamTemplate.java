package io.inventory.lambda;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * template.yaml read as plain maps and lists. CloudFormation's short tags become their long forms
 * ({@code !Ref X} is {@code {Ref: X}}, {@code !GetAtt A.B} is {@code {Fn::GetAtt: [A, B]}}), so a check sees one
 * shape whichever form the template uses.
 */
final class SamTemplate {

    private static final List<String> FUNCTION_TAGS = List.of("And", "Base64", "Cidr", "Equals", "FindInMap",
            "GetAZs", "If", "ImportValue", "Join", "Not", "Or", "Select", "Split", "Sub", "Transform");

    private final Path file;
    private final Map<String, Object> root;

    private SamTemplate(Path file, Map<String, Object> root) {
        this.file = file;
        this.root = root;
    }

    static SamTemplate load(Path file) throws IOException {
        Yaml yaml = new Yaml(new CloudFormationConstructor());
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return new SamTemplate(file, map(yaml.load(reader), "the template"));
        }
    }

    /** The folder CodeUri paths are relative to. */
    Path directory() {
        return file.toAbsolutePath().getParent();
    }

    /** A top-level section such as Outputs; empty when the template has none. */
    Map<String, Object> section(String name) {
        Object section = root.get(name);
        return section == null ? Map.of() : map(section, name);
    }

    Map<String, Object> resources() {
        return map(root.get("Resources"), "Resources");
    }

    Map<String, Object> resource(String logicalId) {
        return map(resources().get(logicalId), "Resources." + logicalId);
    }

    /** The Properties of a resource; empty when it has none. */
    Map<String, Object> properties(String logicalId) {
        Object properties = resource(logicalId).get("Properties");
        return properties == null ? Map.of() : map(properties, logicalId + ".Properties");
    }

    String type(String logicalId) {
        return (String) resource(logicalId).get("Type");
    }

    /** Logical ids of the resources of one type, in template order. */
    List<String> resourcesOfType(String type) {
        return resources().keySet().stream().filter(id -> type.equals(type(id))).toList();
    }

    /** A function's property, falling back to Globals.Function as SAM does. */
    Optional<Object> functionProperty(String functionId, String name) {
        Object own = properties(functionId).get(name);
        if (own != null) {
            return Optional.of(own);
        }
        Object globals = root.get("Globals");
        if (globals == null) {
            return Optional.empty();
        }
        Object function = map(globals, "Globals").get("Function");
        return function == null ? Optional.empty() : Optional.ofNullable(map(function, "Globals.Function").get(name));
    }

    /** A function's Environment.Variables, unresolved (values may be intrinsic functions). */
    Map<String, Object> environment(String functionId) {
        Map<String, Object> environment = functionProperty(functionId, "Environment")
                .map(value -> map(value, functionId + ".Environment")).orElse(Map.of());
        Object variables = environment.get("Variables");
        return variables == null ? Map.of() : map(variables, functionId + ".Environment.Variables");
    }

    Optional<Object> parameterDefault(String name) {
        Object parameters = root.get("Parameters");
        if (parameters == null || !map(parameters, "Parameters").containsKey(name)) {
            return Optional.empty();
        }
        return Optional.ofNullable(map(map(parameters, "Parameters").get(name), "Parameters." + name).get("Default"));
    }

    /**
     * The logical id a value refers to: {@code Ref}, {@code Fn::GetAtt}, or a {@code Fn::Sub} that starts with a
     * {@code ${LogicalId...}} reference. {@code X.Alias} (SAM's alias reference) refers to X.
     */
    Optional<String> referencedResource(Object value) {
        if (!(value instanceof Map<?, ?> intrinsic) || intrinsic.size() != 1) {
            return Optional.empty();
        }
        Object argument = intrinsic.values().iterator().next();
        String name = switch (String.valueOf(intrinsic.keySet().iterator().next())) {
            case "Ref" -> String.valueOf(argument).split("\\.", 2)[0];
            case "Fn::GetAtt" -> String.valueOf(((List<?>) argument).get(0));
            case "Fn::Sub" -> argument instanceof String text && text.startsWith("${")
                    ? text.substring(2, text.indexOf('}')).split("\\.", 2)[0] : null;
            default -> null;
        };
        return name != null && resources().containsKey(name) ? Optional.of(name) : Optional.empty();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value, String where) {
        if (!(value instanceof Map)) {
            throw new IllegalArgumentException(where + " is not a mapping: " + value);
        }
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        return value instanceof List ? (List<Object>) value : List.of(value);
    }

    /** SnakeYAML's safe constructor plus CloudFormation's short-form intrinsic function tags. */
    private static final class CloudFormationConstructor extends SafeConstructor {

        CloudFormationConstructor() {
            super(new LoaderOptions());
            yamlConstructors.put(new Tag("!Ref"), new Intrinsic("Ref"));
            yamlConstructors.put(new Tag("!Condition"), new Intrinsic("Condition"));
            yamlConstructors.put(new Tag("!GetAtt"), new Intrinsic("Fn::GetAtt"));
            for (String name : FUNCTION_TAGS) {
                yamlConstructors.put(new Tag("!" + name), new Intrinsic("Fn::" + name));
            }
        }

        private final class Intrinsic extends AbstractConstruct {

            private final String longName;

            Intrinsic(String longName) {
                this.longName = longName;
            }

            @Override
            public Object construct(Node node) {
                Object argument;
                if (node instanceof ScalarNode scalar) {
                    String text = constructScalar(scalar);
                    // The short form of GetAtt is "Resource.Attribute"; its long form is a two-item list.
                    argument = "Fn::GetAtt".equals(longName) ? List.of(text.split("\\.", 2)) : text;
                } else if (node instanceof SequenceNode sequence) {
                    argument = constructSequence(sequence);
                } else {
                    argument = constructMapping((MappingNode) node);
                }
                Map<String, Object> intrinsic = new LinkedHashMap<>();
                intrinsic.put(longName, argument);
                return intrinsic;
            }
        }
    }
}
