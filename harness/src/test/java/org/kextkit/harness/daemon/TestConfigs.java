package org.kextkit.harness.daemon;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.kextkit.harness.config.ConfigLoader;
import org.kextkit.harness.config.KextkitConfig;

/** Build configurations for daemon tests without reading any user file or the real home directory. */
final class TestConfigs {
    private TestConfigs() {
    }

    /** Return a configuration whose socket is {@code socket}, with extra {@code key=value} settings. */
    static KextkitConfig withSocket(Path socket, String... sets) {
        List<String> all = new ArrayList<>();
        all.add("socket=" + socket);
        all.addAll(List.of(sets));
        Properties props = new Properties();
        props.setProperty("user.home", socket.getParent().toString());
        props.setProperty("user.name", System.getProperty("user.name"));
        props.setProperty("java.io.tmpdir", socket.getParent().toString());
        return new ConfigLoader().environment(Map.of()).systemProperties(props).noUserFile().commandLine(all).load();
    }
}
