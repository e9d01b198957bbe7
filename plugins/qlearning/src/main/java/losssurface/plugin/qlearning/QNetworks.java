package losssurface.plugin.qlearning;

import java.util.List;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** The Q-network both trainers train: observation - hidden ReLU layers - one identity output per action. */
final class QNetworks {
    private QNetworks() {
    }

    /**
     * A freshly initialised network. The output layer's loss is MSE, so fitting it towards a target
     * matrix equal to its own outputs except at the taken actions is a step on the squared TD error.
     */
    static MultiLayerNetwork create(int observations, int actions, List<Integer> hidden, double learningRate, long seed) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .weightInit(WeightInit.XAVIER)
                .updater(new Adam(learningRate))
                .list();
        int in = observations;
        for (int i = 0; i < hidden.size(); i++) {
            list.layer(i, new DenseLayer.Builder().nIn(in).nOut(hidden.get(i)).activation(Activation.RELU).build());
            in = hidden.get(i);
        }
        list.layer(hidden.size(), new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(in).nOut(actions)
                .activation(Activation.IDENTITY).build());
        MultiLayerConfiguration conf = list.build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }
}
