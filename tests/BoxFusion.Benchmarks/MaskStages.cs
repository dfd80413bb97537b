using System;
using System.Collections.Generic;
using System.IO;
using BoxFusion.Coco;
using BoxFusion.Evaluation;
using BoxFusion.Fusion;
using BoxFusion.Json;

namespace BoxFusion.Benchmarks
{
    /// <summary>What a masked ensemble holds on the heap (<see cref="MaskStages.Heap(string[], string[])"/>).</summary>
    public sealed class MaskHeap
    {
        public long Masks { get; internal set; }

        /// <summary>Heap bytes the ensemble holds, masks included.</summary>
        public long WithMasks { get; internal set; }

        /// <summary>Heap bytes the same ensemble holds without its masks.</summary>
        public long WithoutMasks { get; internal set; }

        /// <summary>Bytes of the masks' run lengths: 4 per run, the part a mask cannot do without.</summary>
        public long RunBytes { get; internal set; }
    }

    /// <summary>The instance-segmentation stages Masks.ps1 times: read, WBF with masks, write, segm evaluation, heap per mask.</summary>
    public static class MaskStages
    {
        public static DetectionEnsemble Read(string[] paths, string[] models) => EngineStages.Read(paths, models);

        /// <summary>Widths and heights by ensemble image index; every image must be in the ground truth.</summary>
        public static ImageSizes Sizes(CocoGroundTruth info, DetectionEnsemble ensemble)
        {
            var sizes = EngineStages.Sizes(info, ensemble);
            if (sizes.Unknown > 0) throw new InvalidOperationException(sizes.Unknown + " images are not in the ground truth");
            return sizes;
        }

        /// <summary>WBF with default options, every image's result in one list.</summary>
        public static List<Detection> Fuse(DetectionEnsemble ensemble, ImageSizes sizes)
        {
            var context = new FusionContext(new FusionOptions { Method = FusionMethod.WBF }, ensemble.Models, null);
            var all = new List<Detection>();
            foreach (var image in EngineStages.Fuse(ensemble, context, sizes)) all.AddRange(image);
            return all;
        }

        /// <summary>Writes the detections (compressed RLE masks); returns the file's length.</summary>
        public static long Write(List<Detection> detections, string path)
        {
            using (var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
            using (var writer = new CocoResultWriter(stream))
            {
                foreach (var d in detections) writer.Write(d);
                writer.Complete();
                return stream.Length;
            }
        }

        public static CocoStats Evaluate(CocoGroundTruth groundTruth, List<Detection> detections) =>
            CocoEvaluator.Evaluate(groundTruth, detections, new EvaluationOptions { IouType = IouType.Segm });

        /// <summary>Run-length bytes of the ensemble's masks: 4 per run.</summary>
        public static long RunBytes(DetectionEnsemble ensemble)
        {
            long bytes = 0;
            for (int i = 0; i < ensemble.ImageCount; i++)
            {
                var masks = ensemble.GetMasks(i);
                if (masks == null) continue;
                foreach (var m in masks) if (m != null) bytes += 4L * m.RunCount;
            }
            return bytes;
        }

        private static long CollectedHeap()
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            return GC.GetTotalMemory(true);
        }

        /// <summary>Reads the files into a fresh ensemble and measures the heap it holds, then the same ensemble without masks.</summary>
        public static MaskHeap Heap(string[] paths, string[] models)
        {
            long before = CollectedHeap();
            var ensemble = Read(paths, models);
            long held = CollectedHeap() - before;
            var boxes = WithoutMasks(ensemble);
            long both = CollectedHeap() - before;
            var result = new MaskHeap { Masks = ensemble.MaskCount, WithMasks = held, WithoutMasks = both - held, RunBytes = RunBytes(ensemble) };
            GC.KeepAlive(ensemble);
            GC.KeepAlive(boxes);
            return result;
        }

        /// <summary>The same ensemble without masks, for the heap a mask adds.</summary>
        public static DetectionEnsemble WithoutMasks(DetectionEnsemble ensemble)
        {
            var copy = new DetectionEnsemble();
            for (int i = 0; i < ensemble.ImageCount; i++)
            {
                foreach (var e in ensemble.GetImage(i))
                {
                    int model = copy.ModelOf(ensemble.Models[e.Model]);
                    copy.Add(ensemble.ImageIds[i], e.CategoryId, e.Score, e.X, e.Y, e.Width, e.Height, model);
                }
            }
            return copy;
        }
    }
}
