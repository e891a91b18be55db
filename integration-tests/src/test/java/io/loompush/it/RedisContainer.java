package io.loompush.it;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import java.util.ArrayList;
import java.util.List;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Testcontainers' redis:7 with its port published on a fixed host port
 * (the fixture's), so that stopping and starting the same container
 * brings Redis back where the servers look for it.
 */
final class RedisContainer implements RedisBackend {
    private final GenericContainer<?> container;

    RedisContainer(int port, List<String> persistence) {
        var command = new ArrayList<>(List.of("redis-server"));
        command.addAll(persistence);
        this.container = new GenericContainer<>(DockerImageName.parse("redis:7"))
                .withExposedPorts(6379)
                .withCommand(command.toArray(String[]::new))
                .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withPortBindings(
                        new PortBinding(Ports.Binding.bindPort(port), ExposedPort.tcp(6379))));
    }

    @Override
    public String host() {
        return container.getHost();
    }

    /** The first start creates the container; later ones start the same container again. */
    @Override
    public void start() {
        if (container.getContainerId() == null) {
            container.start();
        } else {
            container.getDockerClient().startContainerCmd(container.getContainerId()).exec();
        }
    }

    @Override
    public void stop() {
        if (container.getContainerId() != null) {
            container.getDockerClient().stopContainerCmd(container.getContainerId()).withTimeout(2).exec();
        }
    }

    @Override
    public void freeze(boolean frozen) {
        var docker = container.getDockerClient();
        if (frozen) {
            docker.pauseContainerCmd(container.getContainerId()).exec();
        } else {
            docker.unpauseContainerCmd(container.getContainerId()).exec();
        }
    }

    @Override
    public void close() {
        container.stop();
    }

    /** A container that exits makes its start fail; there is no process of ours to watch. */
    @Override
    public void assertRunning() {}

    @Override
    public String describe() {
        return "container redis:7 " + container.getContainerId();
    }
}
