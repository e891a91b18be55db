package io.loompush.sim;

import io.loompush.sim.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** {@code java -jar loompush-client-sim.jar [options]}: see {@code --help}. */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws InterruptedException {
        int code = run(args, System.in, System.out, System.err);
        System.out.flush();
        System.exit(code);
    }

    /** Runs the simulator, or one worker of it; returns the exit code (0 clean, 1 problems found, 2 bad input). */
    static int run(String[] args, InputStream in, PrintStream out, PrintStream err) throws InterruptedException {
        Kernel kernel = Kernel.read();
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            out.print(Help.text(kernel));
            return 0;
        }
        SimConfig config;
        try {
            config = ConfigParser.parse(args, kernel);
        } catch (UsageException e) {
            err.println("client-sim: " + e.getMessage());
            return 2;
        }
        Thread watchdog = watchdog(config.hardLimit(), err);
        try {
            if (config.worker() != null) {
                return Worker.run(config, in, out, err);
            }
            Plan plan;
            try {
                plan = Preflight.plan(config, kernel);
                var notes = new ArrayList<>(plan.notes());
                notes.addAll(Preflight.reach(config));
                notes.forEach(note -> err.println("client-sim: " + note));
            } catch (UsageException e) {
                err.println("client-sim: " + e.getMessage());
                return 2;
            }
            return simulate(config, plan, args, out, err);
        } catch (IOException e) {
            err.println("client-sim: the run failed: " + e.getMessage());
            return 1;
        } finally {
            watchdog.interrupt();
        }
    }

    private static int simulate(SimConfig config, Plan plan, String[] args, PrintStream out, PrintStream err)
            throws IOException, InterruptedException {
        var fleets = new ArrayList<Fleet>();
        for (Slice slice : plan.slices()) {
            fleets.add(plan.inProcess() ? new LocalFleet(config, slice, err) : new WorkerFleet(workerCommand(args, slice, config.run()), slice));
        }
        RunResult result;
        try (var publisher = config.mode().publishes()
                ? new Publisher(config, () -> Publisher.sinkFor(config), err) : null) {
            result = new Simulation(config, plan, fleets, publisher, err).run();
        }
        out.print(Report.table(result));
        if (config.json() != null) {
            Files.writeString(config.json(), Json.pretty(Report.json(result)));
            out.println("figures written to " + config.json());
        }
        return Report.problems(result).isEmpty() ? 0 : 1;
    }

    /** This simulator again, with the same JVM, JVM options and flags, as the worker for one slice. */
    static List<String> workerCommand(String[] args, Slice slice, String run) {
        var command = new ArrayList<String>();
        command.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        command.addAll(List.of("--worker", slice.toString(), "--run-id", run));
        return command;
    }

    /** Stops the process when a run overstays every phase's bound together: no run goes on forever. */
    private static Thread watchdog(Duration limit, PrintStream err) {
        return Thread.ofPlatform().name("sim-watchdog").daemon().start(() -> {
            try {
                Thread.sleep(limit);
            } catch (InterruptedException e) {
                return;
            }
            err.println("client-sim: stopped: the run went past its bound of " + limit.toSeconds() + " s");
            Runtime.getRuntime().halt(1);
        });
    }
}
