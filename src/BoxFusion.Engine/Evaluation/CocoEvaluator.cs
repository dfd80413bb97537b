using System;
using System.Runtime.CompilerServices;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using BoxFusion.Coco;

namespace BoxFusion.Evaluation
{
    /// <summary>
    /// A port of pycocotools' COCOeval for iouType 'bbox' and 'segm' (loadRes, evaluate, accumulate, summarize),
    /// reproducing its arithmetic and orderings so the 12 stats agree to the last bits.
    /// </summary>
    public static class CocoEvaluator
    {
        /// <summary>Evaluates detections against a ground truth over all of its images and categories.</summary>
        /// <exception cref="UnknownImageException">A detection's image is not in the ground truth.</exception>
        public static CocoStats Evaluate(CocoGroundTruth gt, IReadOnlyList<Detection> detections, EvaluationOptions options = null, CancellationToken cancel = default)
        {
            if (detections == null) throw new ArgumentNullException(nameof(detections));
            return Evaluate(gt, detections, null, options, cancel);
        }

        /// <summary>Evaluates detections held as columns of values (boxes only: iouType 'bbox'), as the same detections as objects.</summary>
        /// <exception cref="UnknownImageException">A detection's image is not in the ground truth.</exception>
        public static CocoStats Evaluate(CocoGroundTruth gt, DetectionColumns detections, EvaluationOptions options = null, CancellationToken cancel = default)
        {
            if (detections == null) throw new ArgumentNullException(nameof(detections));
            if (options?.IouType == IouType.Segm) throw new ArgumentException("Columns of values hold no masks: segm evaluation takes Detection objects.", nameof(options));
            return Evaluate(gt, null, detections, options, cancel);
        }

        private static CocoStats Evaluate(CocoGroundTruth gt, IReadOnlyList<Detection> detections, DetectionColumns columns, EvaluationOptions options, CancellationToken cancel)
        {
            if (gt == null) throw new ArgumentNullException(nameof(gt));
            options = options ?? new EvaluationOptions();
            var maxDets = (int[])(options.MaxDetections ?? throw new ArgumentException("MaxDetections is null.", nameof(options))).Clone();
            if (maxDets.Length < 3)
                throw new ArgumentException("MaxDetections needs at least 3 values (COCO summarize uses the first three).", nameof(options));
            foreach (int md in maxDets)
                if (md < 0) throw new ArgumentException("MaxDetections values must not be negative.", nameof(options));
            Array.Sort(maxDets);

            var run = new EvaluationRun
            {
                IouThrs = EvaluationParams.IouThresholds,
                RecThrs = EvaluationParams.RecallThresholds,
                AreaLow = EvaluationParams.AreaLow,
                AreaHigh = EvaluationParams.AreaHigh,
                MaxDets = maxDets,
                MaxDetLast = maxDets[maxDets.Length - 1],
                HonorIgnoreField = options.HonorIgnoreField,
                KeepPrecisionRecall = options.KeepPrecisionRecall,
                Dets = detections,
                DetCount = detections?.Count ?? columns.Count,
                Segm = options.IouType == IouType.Segm,
            };
            run.T = run.IouThrs.Length;
            run.R = run.RecThrs.Length;
            run.A = run.AreaLow.Length;
            run.M = maxDets.Length;
            var parallel = new ParallelOptions
            {
                CancellationToken = cancel,
                MaxDegreeOfParallelism = options.MaxDegreeOfParallelism > 0 ? options.MaxDegreeOfParallelism : -1,
            };

            // Images and categories in sorted id order: the order pycocotools evaluates and averages them in.
            var images = new CocoImage[gt.Images.Count];
            for (int i = 0; i < images.Length; i++) images[i] = gt.Images[i];
            Array.Sort(images, CompareImageIds);
            run.I = images.Length;
            var imageIndex = new Dictionary<CocoImage, int>(images.Length);
            for (int i = 0; i < images.Length; i++) imageIndex[images[i]] = i;

            var categories = new List<CocoCategory>(gt.Categories);
            categories.Sort((a, b) => a.Id.CompareTo(b.Id));
            var catIndex = new Dictionary<int, int>();
            var catList = new List<CocoCategory>();
            foreach (var c in categories)
                if (!catIndex.ContainsKey(c.Id)) { catIndex.Add(c.Id, catList.Count); catList.Add(c); }
            run.K = catList.Count;

            ResolveDetections(run, columns, gt, imageIndex, catIndex, parallel);
            ResolveGroundTruth(run, gt, imageIndex, catIndex);
            var maskCounts = MaskEvaluation.Prepare(run, gt, images, parallel);
            cancel.ThrowIfCancellationRequested();

            ImageEvaluation.Run(run, parallel);
            double[] stats;
            List<CategoryAp> perCategory = null;
            PrecisionRecallCurves curves = null;
            try
            {
                Accumulation.Accumulate(run, parallel);
                stats = Accumulation.Summarize(run);
                if (options.PerCategory)
                {
                    perCategory = new List<CategoryAp>(run.K);
                    for (int k = 0; k < run.K; k++)
                    {
                        Accumulation.CategoryAp(run, k, out double ap, out double ap50, out int gtCount);
                        perCategory.Add(new CategoryAp(catList[k].Id, catList[k].Name, ap, ap50, gtCount));
                    }
                }
                if (options.KeepPrecisionRecall) curves = PrecisionRecallCurves.From(run, catList);
            }
            finally
            {
                Accumulation.Release(run);
            }
            var result = new CocoStats(stats, perCategory, run.I, run.DetCount, maxDets) { IouType = options.IouType, PrecisionRecall = curves };
            if (maskCounts != null)
            {
                result.DetectionsWithoutMask = maskCounts.WithoutMask;
                result.MaskSizeMismatches = maskCounts.SizeMismatches;
                result.FirstMaskSizeMismatch = maskCounts.FirstSizeMismatch;
            }
            return result;
        }

        /// <summary>sorted() of the image ids: numbers in order, then strings in ordinal order.</summary>
        private static int CompareImageIds(CocoImage x, CocoImage y)
        {
            if (x.Id is long a)
                return y.Id is long b ? a.CompareTo(b) : -1;
            if (y.Id is long) return 1;
            return string.CompareOrdinal((string)x.Id, (string)y.Id);
        }

        /// <summary>loadRes: every detection's image must be in the GT; categories not in the GT are not evaluated.</summary>
        private static void ResolveDetections(EvaluationRun run, DetectionColumns columns, CocoGroundTruth gt, Dictionary<CocoImage, int> imageIndex,
            Dictionary<int, int> catIndex, ParallelOptions parallel)
        {
            var dets = run.Dets;
            int n = run.DetCount;
            var detImage = new int[n];
            run.DetK = new int[n];
            // Columns already hold the values in the evaluator's layout (their arrays may be longer than n); objects are copied.
            run.DetScore = columns?.Scores ?? new double[n];
            run.DetBox = columns?.Boxes ?? new double[4 * n];
            run.DetArea = columns?.Areas ?? new double[n];
            var imageIds = columns?.ImageIds;
            var categoryIds = columns?.CategoryIds;
            // loadRes: results whose first record has no bbox are sized by their masks' areas, else by box area.
            bool areaFromMask = dets != null && n > 0 && dets[0] != null && dets[0].BoxFromMask;
            // category id -> index by array for the usual small ids; the dictionary for the rest
            int maxSmall = -1;
            foreach (int id in catIndex.Keys)
                if (id >= 0 && id < 65536) maxSmall = Math.Max(maxSmall, id);
            var catLookup = new int[maxSmall + 1];
            for (int c = 0; c < catLookup.Length; c++) catLookup[c] = catIndex.TryGetValue(c, out int kc) ? kc : -1;
            // Chunks on every core (reading millions of scattered objects is most of this step); each chunk stops at its
            // first problem, and the earliest one is reported, as a single pass would.
            const int chunk = 1 << 16;
            int chunks = (n + chunk - 1) / chunk;
            var firstProblem = new int[chunks];
            var problemId = new object[chunks];
            var problemError = new Exception[chunks];   // an ambiguous file name, thrown as it is (not wrapped by Parallel.For)
            Parallel.For(0, chunks, parallel, [MethodImpl(Tiering.Hot)] (part) =>
            {
                firstProblem[part] = -1;
                object lastId = null;
                int lastImage = -1;
                for (int j = part * chunk, end = Math.Min(n, j + chunk); j < end; j++)
                {
                    var d = dets?[j];
                    object id = dets == null ? imageIds[j] : d?.ImageId;
                    if (id == null) { firstProblem[part] = j; return; }
                    int i;
                    if (lastImage >= 0 && (ReferenceEquals(id, lastId) || id.Equals(lastId)))
                        i = lastImage;   // detections usually come image by image
                    else
                    {
                        CocoImage image;
                        try
                        {
                            if (!gt.TryFindImage(id, out image)) { firstProblem[part] = j; problemId[part] = id; return; }
                        }
                        catch (AmbiguousImageIdException e) { firstProblem[part] = j; problemError[part] = e; return; }
                        i = lastImage = imageIndex[image];
                        lastId = id;
                    }
                    detImage[j] = i;
                    int c, k;
                    if (d == null) c = categoryIds[j];
                    else
                    {
                        run.DetScore[j] = d.Score;
                        run.DetBox[4 * j] = d.X;
                        run.DetBox[4 * j + 1] = d.Y;
                        run.DetBox[4 * j + 2] = d.Width;
                        run.DetBox[4 * j + 3] = d.Height;
                        run.DetArea[j] = areaFromMask && d.Mask != null && !d.Mask.IsPolygon ? d.Mask.Area : d.Width * d.Height;
                        c = d.CategoryId;
                    }
                    run.DetK[j] = (c >= 0 && c < catLookup.Length ? (k = catLookup[c]) >= 0 : catIndex.TryGetValue(c, out k)) ? k : -1;
                }
            });
            for (int part = 0; part < chunks; part++)
            {
                int j = firstProblem[part];
                if (j < 0) continue;
#pragma warning disable CA2208 // the list is Evaluate's 'detections' argument: name that, not this helper's parameter
                if (dets != null && dets[j] == null) throw new ArgumentException("Detection " + j + " is null.", "detections");
#pragma warning restore CA2208
                if (problemError[part] != null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(problemError[part]).Throw();
                throw new UnknownImageException(problemId[part], j, gt.Path);
            }
            var counts = new int[run.I + 1];
            for (int j = 0; j < n; j++)
                if (run.DetK[j] >= 0) counts[detImage[j] + 1]++;
            run.ImageDtStart = Prefix(counts);
            run.DetImage = detImage;
            run.DtByImage = new int[run.ImageDtStart[run.I]];
            var fill = (int[])run.ImageDtStart.Clone();
            for (int j = 0; j < n; j++)
                if (run.DetK[j] >= 0) run.DtByImage[fill[detImage[j]]++] = j;
        }

        /// <summary>
        /// _prepare: loadAnns(getAnnIds(imgIds, catIds)). getAnnIds walks the images in id order and each image's annotations
        /// in file order, keeping those of a known category; loadAnns puts in each place the annotation stored under its id,
        /// which is the last one with that id (see CocoGroundTruth.StoredAnnotationIndex); that annotation is then filed
        /// under its own image and category. With unique ids this is every annotation of a known image and category, in
        /// file order within each image. An annotation can thus appear several times (each copy a ground truth of its own).
        /// </summary>
        private static void ResolveGroundTruth(EvaluationRun run, CocoGroundTruth gt, Dictionary<CocoImage, int> imageIndex, Dictionary<int, int> catIndex)
        {
            int n = gt.Annotations.Count;
            run.Gts = new CocoAnnotation[n];
            run.GtK = new int[n];
            var gtImage = new int[n];   // per annotation: its image index, or -1 when its image or category is not evaluated
            var sourceCounts = new int[run.I + 1];
            for (int j = 0; j < n; j++)
            {
                var ann = run.Gts[j] = gt.Annotations[j];
                run.GtK[j] = -1;
                gtImage[j] = -1;
                if (gt.TryGetImageById(ann.ImageId, out var image) && catIndex.TryGetValue(ann.CategoryId, out int k))
                {
                    int i = imageIndex[image];
                    gtImage[j] = i;
                    run.GtK[j] = k;
                    sourceCounts[i + 1]++;
                }
            }
            // The places in getAnnIds' order: by image (sorted ids), file order within an image.
            var placeStart = Prefix(sourceCounts);
            var places = new int[placeStart[run.I]];
            var fill = (int[])placeStart.Clone();
            for (int j = 0; j < n; j++)
                if (gtImage[j] >= 0) places[fill[gtImage[j]]++] = j;
            // What each place loads, filed under that annotation's own image (dropped when it is not evaluated).
            var counts = new int[run.I + 1];
            for (int p = 0; p < places.Length; p++)
            {
                int stored = gt.StoredAnnotationIndex(places[p]);
                places[p] = stored;
                if (gtImage[stored] >= 0) counts[gtImage[stored] + 1]++;
            }
            run.ImageGtStart = Prefix(counts);
            run.GtByImage = new int[run.ImageGtStart[run.I]];
            fill = (int[])run.ImageGtStart.Clone();
            foreach (int stored in places)
                if (gtImage[stored] >= 0) run.GtByImage[fill[gtImage[stored]]++] = stored;
        }

        /// <summary>counts[i + 1] holds the count of i; returns the running starts (length I + 1).</summary>
        internal static int[] Prefix(int[] counts)
        {
            for (int i = 1; i < counts.Length; i++) counts[i] += counts[i - 1];
            return counts;
        }
    }
}
