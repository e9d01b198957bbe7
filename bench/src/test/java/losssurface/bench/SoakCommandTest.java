package losssurface.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The soak's plan: every stage is aimed at, the rest at random by the seed, and never more kills after a tile than tiles. */
class SoakCommandTest {

    @Test
    void everyStageGetsAKillAndTheSeedDecidesTheRest() {
        Map<SoakCommand.Stage, Integer> plan = SoakCommand.plan(new Random(1), 30, 16);
        assertThat(plan.keySet()).containsExactly(SoakCommand.Stage.values());
        assertThat(plan.values()).allMatch(n -> n >= 1);
        assertThat(plan.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(30);
        assertThat(SoakCommand.plan(new Random(1), 30, 16)).isEqualTo(plan);
        assertThat(SoakCommand.plan(new Random(2), 30, 16)).isNotEqualTo(plan);
    }

    @Test
    void killsAfterATileNeverOutnumberTheTilesLeftToSave() {
        Map<SoakCommand.Stage, Integer> plan = SoakCommand.plan(new Random(3), 200, 4);
        assertThat(plan.get(SoakCommand.Stage.BETWEEN_TILES)).isEqualTo(3);
        assertThat(plan.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(200);
        assertThat(SoakCommand.plan(new Random(3), 3, 16)).containsEntry(SoakCommand.Stage.TRAINING, 1)
                .containsEntry(SoakCommand.Stage.MID_TILE, 1).containsEntry(SoakCommand.Stage.BETWEEN_TILES, 1)
                .containsEntry(SoakCommand.Stage.WRITING, 0).containsEntry(SoakCommand.Stage.RENDERING, 0);
    }
}
