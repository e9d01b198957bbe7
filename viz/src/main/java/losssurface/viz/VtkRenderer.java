package losssurface.viz;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

import losssurface.api.Comparison;
import losssurface.api.Renderer;
import losssurface.api.RunResult;
import losssurface.api.Settings;
import losssurface.api.Surface;
import losssurface.api.io.AtomicFiles;
import losssurface.runs.RunFolder;

/**
 * Writes a surface as a VTK XML structured grid (VTK's {@code .vts} format, version 1.0): a plane of
 * {@code n x m} points (a line: {@code n x 1}) at (alpha, beta, z), every metric as a point-data array of
 * the same name, the loss the active scalar. Arrays are stored as VTK's inline binary (base64 of a
 * UInt64 byte count and little-endian Float64 values), so NaN and infinity survive as they are.
 *
 * <p>VTK's points run with the first index fastest: point {@code i + n j} is alpha {@code i}, beta
 * {@code j}, while our grids are row-major in (alpha, beta); the writer reorders.
 */
final class VtkRenderer implements Renderer {

    /** The file of a run's surface. */
    static final String FILE = "surface.vts";
    /** A comparison's multi-block file, which names each run's grid. */
    static final String COMPARISON = "compare.vtm";

    /**
     * {@code vtk.z}: what the points' z coordinate is: {@code loss} (default: the surface stands in 3D, its
     * non-finite cells at the largest finite loss, while the point data keeps them as they are) or
     * {@code zero} (a flat grid, for ParaView's Warp By Scalar on any metric).
     */
    enum Height {
        LOSS, ZERO;

        static Height read(Settings settings) {
            return settings.choice("vtk.z", "loss", java.util.Set.of("loss", "zero")).equals("loss") ? LOSS : ZERO;
        }
    }

    private final Height height;

    VtkRenderer(Height height) {
        this.height = height;
    }

    @Override
    public List<Path> render(RunResult run, Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        AtomicFiles.writeString(file, grid(run.surface(), height));
        return List.of(file);
    }

    @Override
    public List<Path> compare(Comparison comparison, Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        StringBuilder vtm = new StringBuilder();
        vtm.append("<?xml version=\"1.0\"?>\n")
                .append("<VTKFile type=\"vtkMultiBlockDataSet\" version=\"1.0\" byte_order=\"LittleEndian\" header_type=\"UInt64\">\n")
                .append("  <vtkMultiBlockDataSet>\n");
        int index = 0;
        for (RunResult run : comparison.runs()) {
            String name = RunFolder.fileName(run.name()) + ".vts";
            Path file = dir.resolve(name);
            AtomicFiles.writeString(file, grid(run.surface(), height));
            files.add(file);
            vtm.append("    <DataSet index=\"").append(index++).append("\" name=\"").append(attribute(run.name()))
                    .append("\" file=\"").append(attribute(name)).append("\"/>\n");
        }
        vtm.append("  </vtkMultiBlockDataSet>\n</VTKFile>\n");
        Path file = dir.resolve(COMPARISON);
        AtomicFiles.writeString(file, vtm.toString());
        files.add(0, file);
        return files;
    }

    /** The {@code .vts} document of {@code s}. */
    static String grid(Surface s, Height height) {
        double[] alphas = s.axes().get(0).values();
        double[] betas = s.isPlane() ? s.axes().get(1).values() : new double[] {0};
        int n = alphas.length;
        int m = betas.length;
        String extent = String.format(Locale.ROOT, "0 %d 0 %d 0 0", n - 1, m - 1);
        double[] loss = s.grid(s.lossMetric());
        double top = java.util.Arrays.stream(loss).filter(Double::isFinite).max().orElse(0);
        double[] points = new double[3 * n * m];
        for (int j = 0; j < m; j++) {
            for (int i = 0; i < n; i++) {
                int p = i + n * j;
                double z = height == Height.LOSS ? loss[i * m + j] : 0;
                points[3 * p] = alphas[i];
                points[3 * p + 1] = betas[j];
                points[3 * p + 2] = Double.isFinite(z) ? z : top;
            }
        }
        StringBuilder x = new StringBuilder();
        x.append("<?xml version=\"1.0\"?>\n")
                .append("<!-- ").append(comment(s.objective())).append(" -->\n")
                .append("<VTKFile type=\"StructuredGrid\" version=\"1.0\" byte_order=\"LittleEndian\" header_type=\"UInt64\">\n")
                .append("  <StructuredGrid WholeExtent=\"").append(extent).append("\">\n")
                .append("    <Piece Extent=\"").append(extent).append("\">\n")
                .append("      <PointData Scalars=\"").append(attribute(s.lossMetric())).append("\">\n");
        for (String metric : s.metrics()) {
            double[] grid = s.grid(metric);
            double[] values = new double[n * m];
            for (int j = 0; j < m; j++) {
                for (int i = 0; i < n; i++) {
                    values[i + n * j] = grid[i * m + j];
                }
            }
            array(x, "        ", metric, 1, values);
        }
        x.append("      </PointData>\n")
                .append("      <CellData>\n      </CellData>\n")
                .append("      <Points>\n");
        array(x, "        ", "Points", 3, points);
        x.append("      </Points>\n")
                .append("    </Piece>\n")
                .append("  </StructuredGrid>\n")
                .append("</VTKFile>\n");
        return x.toString();
    }

    private static void array(StringBuilder x, String indent, String name, int components, double[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(8 + 8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putLong(8L * values.length);
        for (double v : values) {
            bytes.putDouble(v);
        }
        x.append(indent).append("<DataArray type=\"Float64\" Name=\"").append(attribute(name))
                .append("\" NumberOfComponents=\"").append(components).append("\" format=\"binary\">\n")
                .append(indent).append("  ").append(Base64.getEncoder().encodeToString(bytes.array())).append('\n')
                .append(indent).append("</DataArray>\n");
    }

    private static String attribute(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String comment(String text) {
        return text.replace("--", "- -") + " "; // XML comments may not hold "--" nor end with '-'
    }
}
