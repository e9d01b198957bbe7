package losssurface.viz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import losssurface.api.Comparison;
import losssurface.api.RunResult;
import losssurface.api.Settings;
import losssurface.api.SettingsException;
import losssurface.api.Surface;

/** The {@code vtk} renderer's files, read back by the rules of VTK's XML formats. */
class VtkRendererTest {

    @TempDir
    Path dir;

    /** A {@code .vts} file read by the format's rules: extents, sizes, and every array decoded. */
    record Grid(int[] extent, Map<String, double[]> pointData, double[] points, String scalars) {
        int points(int axis) {
            return extent[2 * axis + 1] - extent[2 * axis] + 1;
        }
    }

    static Grid read(Path file) throws Exception {
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
        Element root = doc.getDocumentElement();
        assertThat(root.getTagName()).isEqualTo("VTKFile");
        assertThat(root.getAttribute("type")).isEqualTo("StructuredGrid");
        assertThat(root.getAttribute("byte_order")).isEqualTo("LittleEndian");
        assertThat(root.getAttribute("header_type")).isEqualTo("UInt64");
        Element grid = only(root, "StructuredGrid");
        Element piece = only(grid, "Piece");
        int[] whole = ints(grid.getAttribute("WholeExtent"));
        assertThat(ints(piece.getAttribute("Extent"))).as("one piece covers the whole extent").containsExactly(whole);
        assertThat(whole).hasSize(6);
        for (int a = 0; a < 3; a++) {
            assertThat(whole[2 * a + 1]).as("extent axis %d", a).isGreaterThanOrEqualTo(whole[2 * a]);
        }
        int count = (whole[1] - whole[0] + 1) * (whole[3] - whole[2] + 1) * (whole[5] - whole[4] + 1);
        Element pointData = only(piece, "PointData");
        Map<String, double[]> data = new LinkedHashMap<>();
        NodeList arrays = pointData.getElementsByTagName("DataArray");
        for (int k = 0; k < arrays.getLength(); k++) {
            Element a = (Element) arrays.item(k);
            assertThat(a.getAttribute("NumberOfComponents")).isEqualTo("1");
            data.put(a.getAttribute("Name"), decode(a, count));
        }
        Element points = only(only(piece, "Points"), "DataArray");
        assertThat(points.getAttribute("NumberOfComponents")).isEqualTo("3");
        return new Grid(whole, data, decode(points, 3 * count), pointData.getAttribute("Scalars"));
    }

    /** A binary Float64 array: base64 of a UInt64 byte count, then the values; it must hold exactly {@code values}. */
    private static double[] decode(Element array, int values) {
        assertThat(array.getAttribute("type")).isEqualTo("Float64");
        assertThat(array.getAttribute("format")).isEqualTo("binary");
        ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(array.getTextContent().strip())).order(ByteOrder.LITTLE_ENDIAN);
        long declared = bytes.getLong();
        assertThat(declared).as("%s's byte count", array.getAttribute("Name")).isEqualTo(8L * values);
        assertThat(bytes.remaining()).as("%s's bytes", array.getAttribute("Name")).isEqualTo(8 * values);
        double[] out = new double[values];
        bytes.asDoubleBuffer().get(out);
        return out;
    }

    private static Element only(Element parent, String tag) {
        List<Element> found = new ArrayList<>();
        for (int k = 0; k < parent.getChildNodes().getLength(); k++) {
            if (parent.getChildNodes().item(k) instanceof Element e && e.getTagName().equals(tag)) {
                found.add(e);
            }
        }
        assertThat(found).as("<%s> in <%s>", tag, parent.getTagName()).hasSize(1);
        return found.get(0);
    }

    private static int[] ints(String text) {
        return Arrays.stream(text.strip().split("\\s+")).mapToInt(Integer::parseInt).toArray();
    }

    @Test
    void aPlaneIsAStructuredGridWithEveryMetricAsPointDataAndTheLossAsHeight() throws Exception {
        RunResult run = Runs.bowl(7, 5, 0.5, false);
        List<Path> files = new VtkRendererProvider().create(Settings.empty()).render(run, dir);
        assertThat(files).containsExactly(dir.resolve("surface.vts"));
        Grid g = read(files.get(0));
        assertThat(g.extent()).containsExactly(0, 6, 0, 4, 0, 0);
        assertThat(g.pointData().keySet()).containsExactly("loss", "accuracy");
        assertThat(g.scalars()).isEqualTo("loss");
        Surface s = run.surface();
        double[] alphas = s.axes().get(0).values();
        double[] betas = s.axes().get(1).values();
        for (int i = 0; i < 7; i++) {
            for (int j = 0; j < 5; j++) {
                int p = i + 7 * j; // VTK: the first index runs fastest
                assertThat(g.pointData().get("accuracy")[p]).isEqualTo(s.value("accuracy", i, j));
                double loss = s.value("loss", i, j);
                assertThat(Double.valueOf(g.pointData().get("loss")[p])).isEqualTo(Double.valueOf(loss)); // NaN stays NaN
                assertThat(g.points()[3 * p]).isEqualTo(alphas[i]);
                assertThat(g.points()[3 * p + 1]).isEqualTo(betas[j]);
                assertThat(g.points()[3 * p + 2]).as("z at (%d, %d)", i, j).isEqualTo(Double.isNaN(loss) ? 3.0 : loss);
            }
        }
        assertThat(Arrays.stream(g.pointData().get("loss")).filter(Double::isNaN).count()).isEqualTo(2 * 5);
    }

    @Test
    void aFlatGridOnRequestAndALineAsAOneRowGrid() throws Exception {
        Grid flat = read(new VtkRendererProvider().create(Settings.of(Map.of("vtk.z", "zero")))
                .render(Runs.bowl(4, 3, 5, false), dir).get(0));
        for (int p = 0; p < 12; p++) {
            assertThat(flat.points()[3 * p + 2]).isZero();
        }
        Grid line = read(new VtkRendererProvider().create(Settings.empty()).render(Runs.line(9), dir).get(0));
        assertThat(line.extent()).containsExactly(0, 8, 0, 0, 0, 0);
        assertThat(line.pointData().get("loss")[8]).isEqualTo(Math.cosh(2));
        assertThatThrownBy(() -> new VtkRendererProvider().create(Settings.of(Map.of("vtk.z", "accuracy"))))
                .isInstanceOf(SettingsException.class).hasMessageContaining("vtk.z");
    }

    @Test
    void aComparisonIsAMultiBlockFileNamingEachRunsGrid() throws Exception {
        RunResult a = Runs.bowl(5, 5, 5, false);
        RunResult b = new RunResult("other run", a.surface(), a.model(), a.provenance());
        List<Path> files = new VtkRendererProvider().create(Settings.empty()).compare(new Comparison(List.of(a, b)), dir);
        assertThat(files.get(0)).isEqualTo(dir.resolve("compare.vtm"));
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(files.get(0).toFile());
        assertThat(doc.getDocumentElement().getAttribute("type")).isEqualTo("vtkMultiBlockDataSet");
        NodeList blocks = doc.getElementsByTagName("DataSet");
        assertThat(blocks.getLength()).isEqualTo(2);
        for (int k = 0; k < 2; k++) {
            Element block = (Element) blocks.item(k);
            assertThat(block.getAttribute("index")).isEqualTo(String.valueOf(k));
            Path file = dir.resolve(block.getAttribute("file"));
            assertThat(file).exists();
            assertThat(read(file).extent()).containsExactly(0, 4, 0, 4, 0, 0);
        }
        assertThat(((Element) blocks.item(1)).getAttribute("file")).isEqualTo("other_run.vts");
        assertThat(Files.readString(dir.resolve("other_run.vts"))).contains("<!-- bowl ");
    }
}
