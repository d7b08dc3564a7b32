package org.kextkit.harness.cli.wiring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kextkit.harness.testing.TestKexts.identity;
import static org.kextkit.harness.testing.TestKexts.libraries;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kextkit.harness.cli.KernelMessage;
import org.kextkit.harness.cli.KernelResponse;
import org.kextkit.harness.cli.KernelUnavailableException;
import org.kextkit.harness.cli.LoadRequest;
import org.kextkit.harness.lifecycle.HostedKernel;
import org.kextkit.harness.lifecycle.KernelSettings;
import org.kextkit.harness.lifecycle.KextReturn;
import org.kextkit.harness.testing.TestKexts;

class HostedKernelPortTest {
    @TempDir
    Path dir;
    private final List<HostedKernel> kernels = new ArrayList<>();
    private Path library;
    private Path alpha;
    private Path beta;
    private Path failing;

    @BeforeEach
    void writeKexts() {
        library = TestKexts.write(dir, "CounterLib", identity("com.example.CounterLib", "CounterLib", "1.2.0")
                + "<key>OSBundleCompatibleVersion</key><string>1.0</string>\n"
                + libraries("com.apple.kpi.libkern", "8.0.0"),
                Map.of("com.example.lib.Counter", """
                        package com.example.lib;
                        public class Counter extends org.kextkit.kit.libkern.OSObject {
                            private int value;
                            public int next() { return ++value; }
                        }
                        """), null);
        alpha = driver("Alpha", "KernReturn.KERN_SUCCESS");
        beta = driver("Beta", "KernReturn.KERN_SUCCESS");
        failing = driver("Failing", "KernReturn.KERN_FAILURE");
    }

    private Path driver(String name, String startResult) {
        String pkg = "com.example." + name.toLowerCase();
        String source = """
                package PKG;
                import org.kextkit.kit.libkern.*;
                import static org.kextkit.kit.libkern.Libkern.printf;
                public class Module implements KextModule {
                    public int start(KmodInfo ki, Object data) {
                        printf("%s started, counter %d", ki.name(), new com.example.lib.Counter().next());
                        return RESULT;
                    }
                    public int stop(KmodInfo ki, Object data) {
                        return KernReturn.KERN_SUCCESS;
                    }
                }
                """.replace("PKG", pkg).replace("RESULT", startResult);
        return TestKexts.write(dir, name, identity("com.example." + name, name, "1.0.0")
                + libraries("com.apple.kpi.libkern", "8.0.0", "com.example.CounterLib", "1.1"),
                Map.of(pkg + ".Module", source), pkg + ".Module");
    }

    private HostedKernel boot() {
        HostedKernel kernel = HostedKernel.boot(KernelSettings.defaults());
        kernels.add(kernel);
        return kernel;
    }

    @AfterEach
    void shutdown() {
        kernels.forEach(HostedKernel::shutdown);
    }

    private static List<LoadRequest> requests(List<Path> kexts, List<Path> searchPaths) {
        List<LoadRequest> requests = new ArrayList<>();
        for (Path kext : kexts) {
            requests.add(LoadRequest.ofPath(kext, searchPaths));
        }
        return requests;
    }

    private static List<KernelResponse> loadEach(HostedKernelPort port, List<LoadRequest> requests) throws KernelUnavailableException {
        List<KernelResponse> responses = new ArrayList<>();
        port.loadEach(requests, (index, response) -> {
            assertEquals(responses.size(), index);
            responses.add(response);
        });
        return responses;
    }

    private static String text(KernelResponse response) {
        return response.messages().stream().map(KernelMessage::text).collect(Collectors.joining("\n"));
    }

    @Test
    void loadEachReadsTheSharedSearchPathsOnceAndAnswersEveryRequestWithItsOwnLines() throws Exception {
        HostedKernel kernel = boot();
        HostedKernelPort port = new HostedKernelPort(kernel);
        List<Path> searchPaths = List.of(library, alpha, beta);
        int known = kernel.repository().size();

        List<KernelResponse> responses = loadEach(port, requests(List.of(alpha, beta, library), searchPaths));

        assertEquals(3, responses.size());
        responses.forEach(r -> assertTrue(r.isSuccess(), r.toString()));
        assertEquals(known + 3, kernel.repository().size(), "each kext read once, not once per request");
        assertTrue(kernel.loadedKext("com.example.Alpha").isPresent());
        assertTrue(kernel.loadedKext("com.example.Beta").isPresent());
        assertTrue(text(responses.get(0)).contains("com.example.Alpha started, counter 1"), text(responses.get(0)));
        assertTrue(text(responses.get(1)).contains("com.example.Beta started, counter 1"), text(responses.get(1)));
        assertFalse(text(responses.get(1)).contains("Alpha"), text(responses.get(1)));
        assertEquals("", text(responses.get(2)), "the library was loaded already, as Alpha's dependency");
    }

    @Test
    void loadEachGivesTheResponsesThatOneLoadPerRequestGives() throws Exception {
        Path missing = dir.resolve("Missing.kext");
        List<Path> searchPaths = List.of(library, alpha, missing, failing, beta);
        List<LoadRequest> requests = requests(List.of(alpha, missing, failing, beta, alpha), searchPaths);

        HostedKernelPort batch = new HostedKernelPort(boot());
        List<KernelResponse> batched = loadEach(batch, requests);
        HostedKernelPort single = new HostedKernelPort(boot());
        List<KernelResponse> oneByOne = new ArrayList<>();
        for (LoadRequest request : requests) {
            oneByOne.add(single.load(request));
        }

        assertEquals(oneByOne, batched);
        assertEquals(List.of(KextReturn.SUCCESS, KextReturn.NOT_A_KEXT, KextReturn.START_STOP_ERROR, KextReturn.SUCCESS,
                KextReturn.SUCCESS), batched.stream().map(KernelResponse::result).collect(Collectors.toList()));
        assertEquals(batch.loadedKexts(), single.loadedKexts());
    }
}
