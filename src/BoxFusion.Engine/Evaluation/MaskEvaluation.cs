using System;
using System.Globalization;
using System.Threading.Tasks;
using BoxFusion.Coco;

namespace BoxFusion.Evaluation
{
    /// <summary>
    /// The iouType 'segm' side of the evaluator: ground-truth regions rasterised for their images (polygons as
    /// pycocotools' frPyObjects and merge do; crowd regions as given), detections' masks (a detection without one
    /// is scored with its box as a polygon, which is what pycocotools' loadRes gives it), and mask IoUs.
    /// </summary>
    internal static class MaskEvaluation
    {
        /// <summary>Rasterises the evaluated annotations' masks and counts the detections to warn about; null for bbox.</summary>
        /// <exception cref="GroundTruthMaskException">An evaluated annotation has no usable mask.</exception>
        public static MaskCounts Prepare(EvaluationRun run, CocoGroundTruth gt, CocoImage[] images, ParallelOptions parallel)
        {
            if (!run.Segm) return null;
            run.ImageHeight = new int[run.I];
            run.ImageWidth = new int[run.I];
            for (int i = 0; i < run.I; i++)
            {
                run.ImageHeight[i] = (int)Math.Min(int.MaxValue, images[i].Height);
                run.ImageWidth[i] = (int)Math.Min(int.MaxValue, images[i].Width);
            }
            run.GtMask = new Mask[run.Gts.Length];
            int firstBad = int.MaxValue;
            GroundTruthMaskException failure = null;
            var gate = new object();
            Parallel.For(0, run.I, parallel, i =>
            {
                for (int at = run.ImageGtStart[i]; at < run.ImageGtStart[i + 1]; at++)
                {
                    int j = run.GtByImage[at];
                    try
                    {
                        run.GtMask[j] = GroundTruthMask(run.Gts[j], run.ImageHeight[i], run.ImageWidth[i]);
                    }
                    catch (MaskFormatException e)
                    {
                        lock (gate)
                        {
                            if (j < firstBad)
                            {
                                firstBad = j;
                                failure = new GroundTruthMaskException(gt, j, images[i], e);
                            }
                        }
                    }
                }
            });
            if (failure != null) throw failure;

            var counts = new MaskCounts();
            for (int j = 0; j < run.Dets.Count; j++)
            {
                if (run.DetK[j] < 0) continue;
                var mask = run.Dets[j].Mask;
                if (mask == null) counts.WithoutMask++;
                else if (!mask.IsPolygon && (mask.Height != run.ImageHeight[run.DetImage[j]] || mask.Width != run.ImageWidth[run.DetImage[j]]))
                {
                    if (counts.SizeMismatches++ == 0) counts.FirstSizeMismatch = j;
                }
            }
            return counts;
        }

        private static Mask GroundTruthMask(CocoAnnotation ann, int height, int width)
        {
            var mask = ann.Mask;
            if (mask == null)
            {
                if (ann.MaskError != null) throw ann.MaskError;
                throw new MaskFormatException(MaskProblem.Missing, "the annotation has no segmentation; mask evaluation needs one for every annotation");
            }
            if (!mask.IsPolygon)
            {
                if (mask.Height != height || mask.Width != width) throw mask.SizeMismatch(height, width);
                return mask;
            }
            var cached = ann.Rasterized;
            if (cached != null && cached.Height == height && cached.Width == width) return cached;
            return ann.Rasterized = mask.Rasterize(height, width);
        }

        /// <summary>maskUtils.iou(d, g, iscrowd) for one (image, category) cell, laid out [d, g].</summary>
        public static void CellIous(EvaluationRun run, double[] ious, int image, int dStart, int D, int gStart, int G)
        {
            int height = run.ImageHeight[image], width = run.ImageWidth[image];
            var dts = new Mask[D];
            var boxes = new MaskBox[D];
            for (int d = 0; d < D; d++)
            {
                dts[d] = DetectionMask(run.Dets[run.DtByImage[dStart + d]], height, width);
                boxes[d] = MaskOps.Box(dts[d]);
            }
            for (int g = 0; g < G; g++)
            {
                int j = run.GtByImage[gStart + g];
                var gtMask = run.GtMask[j];
                var gtBox = MaskOps.Box(gtMask);
                bool crowd = run.Gts[j].IsCrowd;
                for (int d = 0; d < D; d++) ious[d * G + g] = MaskOps.Iou(dts[d], boxes[d], gtMask, gtBox, crowd);
            }
        }

        /// <summary>The detection's mask for its image: as given, polygons rasterised, or its box as a polygon when it has none.</summary>
        private static Mask DetectionMask(Detection d, int height, int width)
        {
            var mask = d.Mask;
            if (mask != null) return mask.IsPolygon ? mask.Rasterize(height, width) : mask;
            double x1 = d.X, y1 = d.Y, x2 = d.X + d.Width, y2 = d.Y + d.Height;
            var corners = new[] { x1, y1, x1, y2, x2, y2, x2, y1 };
            foreach (double v in corners)
            {
                // A box far outside any image (or not finite) covers none of it.
                if (double.IsNaN(v) || Math.Abs(v) > PolygonRaster.MaxCoordinate) return Mask.FromCounts(height, width, new uint[] { (uint)((long)height * width) });
            }
            return PolygonRaster.Rasterize(corners, height, width);
        }
    }

    /// <summary>What segm evaluation found worth telling about the detections.</summary>
    internal sealed class MaskCounts
    {
        public int WithoutMask, SizeMismatches, FirstSizeMismatch = -1;
    }

    /// <summary>An evaluated ground-truth annotation has no usable mask; <see cref="Problem"/> says why.</summary>
    public sealed class GroundTruthMaskException : Exception
    {
        internal GroundTruthMaskException(CocoGroundTruth gt, int index, CocoImage image, MaskFormatException inner)
            : base(string.Format(CultureInfo.InvariantCulture, "Ground truth{0}: annotations[{1}] (id {2}, image {3}): {4}.",
                gt.Path == null ? "" : " '" + gt.Path + "'", index, gt.Annotations[index].Id, ImageIds.Describe(image.Id), inner.Message), inner)
        {
            AnnotationIndex = index;
            AnnotationId = gt.Annotations[index].Id;
            Problem = inner.Problem;
            FilePath = gt.Path;
        }

        public int AnnotationIndex { get; }
        public long AnnotationId { get; }
        public MaskProblem Problem { get; }
        public string FilePath { get; }
    }
}
