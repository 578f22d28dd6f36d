package io.inventory.agent.cli;

import io.inventory.agent.AgentVersion;
import io.inventory.agent.config.AgentConfig;
import io.inventory.agent.config.ConfigException;
import io.inventory.codec.ProtoJson;
import io.inventory.commands.Section;
import io.inventory.inventory.InventoryCollector;
import io.inventory.proto.InventoryDocument;
import io.inventory.registry.RegFileException;
import io.inventory.registry.Registry;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.TypeConversionException;

/** {@code inventory-agent collect}: one inventory document as indented JSON on standard output. */
@Command(name = "collect", description = "Collect this host's inventory once and print it as JSON on standard "
        + "output; logs go to standard error and the log file. Exits 0 when every section was collected, 4 when the "
        + "document is partial or in error.")
final class CollectCommand implements Callable<Integer> {

    @ParentCommand
    AgentCli cli;

    @Mixin
    CommonOptions common;

    @Option(names = "--sections", split = ",", paramLabel = "SECTION", converter = SectionConverter.class,
            description = "Sections to collect, comma-separated: os, host, programs (default: all).")
    List<Section> sections;

    @Override
    public Integer call() {
        AgentConfig config;
        try {
            config = cli.config(common, Map.of());
            cli.configureLogging(config);
        } catch (ConfigException e) {
            return cli.configError(e);
        }

        Registry registry;
        try {
            registry = cli.openRegistry(common, config);
        } catch (RegFileException e) {
            return cli.registryFileError(e);
        }

        InventoryDocument document = new InventoryCollector(registry, cli.environment().clock(),
                AgentVersion.current()).collect(sections == null ? EnumSet.noneOf(Section.class)
                : EnumSet.copyOf(sections));
        cli.environment().out().println(ProtoJson.toPrettyJson(document));
        cli.environment().out().flush();
        return InventoryCollector.STATUS_OK.equals(document.getStatus()) ? ExitCode.OK.code()
                : ExitCode.TASKS_FAILED.code();
    }

    /** Turns a section name into a {@link Section}, naming the known ones when it is not one of them. */
    static final class SectionConverter implements ITypeConverter<Section> {
        @Override
        public Section convert(String value) {
            return Section.fromName(value.strip()).orElseThrow(() -> new TypeConversionException(
                    "unknown section '" + value + "'; known sections: "
                            + Stream.of(Section.values()).map(Section::wireName).collect(Collectors.joining(", "))));
        }
    }
}
