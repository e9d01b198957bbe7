package losssurface.api.dl4j;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ND4J workspaces for loops that evaluate a network many times. Arrays made inside a scope reuse
 * the workspace's memory on the next pass instead of piling up off-heap until the garbage
 * collector notices (a 51 x 51 MNIST surface otherwise grows the process by gigabytes).
 * Nothing allocated inside a scope may be used after it closes: copy results to Java first.
 */
final class Workspaces {

    private static final WorkspaceConfiguration LOOP = WorkspaceConfiguration.builder()
            .policyAllocation(AllocationPolicy.OVERALLOCATE)
            .overallocationLimit(0.2)
            .policyLearning(LearningPolicy.FIRST_LOOP)
            .policySpill(SpillPolicy.REALLOCATE)
            .build();

    private Workspaces() {
    }

    /** Opens (or re-enters) the workspace {@code id} on this thread. */
    static MemoryWorkspace scope(String id) {
        return Nd4j.getWorkspaceManager().getAndActivateWorkspace(LOOP, id);
    }
}
