using System;
using System.Runtime.CompilerServices;
using System.Collections.Generic;
using BoxFusion.Coco;

namespace BoxFusion.Evaluation
{
    /// <summary>How the evaluation's loops are compiled.</summary>
    internal static class Tiering
    {
        /// <summary>
        /// AggressiveOptimization (not named in netstandard2.0): the loops that run over millions of detections are compiled
        /// optimised at once. A scoring runs them once, often in a fresh process, where they would otherwise spend much of
        /// the run as quick first-tier code before the runtime recompiles them.
        /// </summary>
        public const MethodImplOptions Hot = (MethodImplOptions)512;
    }

    /// <summary>pycocotools' Params for iouType 'bbox', with numpy's arithmetic.</summary>
    internal sealed class EvaluationParams
    {
        public static readonly double[] IouThresholds = NumPy.Linspace(.5, 0.95, NumPy.RoundToInt((0.95 - .5) / .05) + 1);
        public static readonly double[] RecallThresholds = NumPy.Linspace(.0, 1.00, NumPy.RoundToInt((1.00 - .0) / .01) + 1);
        public static readonly double[] AreaLow = { 0, 0, 32 * 32, 96 * 96 };
        public static readonly double[] AreaHigh = { 1e5 * 1e5, 32 * 32, 96 * 96, 1e5 * 1e5 };
        public static readonly string[] AreaLabels = { "all", "small", "medium", "large" };
    }

    /// <summary>Everything one evaluation shares between its phases. Arrays are indexed as described per field.</summary>
    internal sealed class EvaluationRun
    {
        public int T, R, K, A, M, I;
        public double[] IouThrs, RecThrs, AreaLow, AreaHigh;
        public int[] MaxDets;          // sorted
        public int MaxDetLast;
        public bool HonorIgnoreField;

        public IReadOnlyList<Detection> Dets;   // the detections as objects; null when they came as columns (boxes only)
        public int DetCount;
        public int[] DetK;             // per input detection: category index, or -1 when not evaluated
        public double[] DetScore;      // per input detection
        public double[] DetBox;        // per input detection: x, y, width, height
        public double[] DetArea;       // per input detection: loadRes' area (box area, or mask area when the results have no boxes)
        public bool Segm;              // iouType 'segm': masks are compared
        public Mask[] GtMask;          // segm, per annotation: the mask rasterised for its image
        public int[] ImageHeight, ImageWidth;   // segm, per image index
        public int[] DetImage;         // per input detection: image index
        public int[] DtByImage;        // detection indices grouped by image, then (after sorting) by category and score
        public int[] ImageDtStart;     // I + 1

        public CocoAnnotation[] Gts;
        public int[] GtK;              // per annotation: category index, or -1
        public int[] GtByImage;        // annotation indices grouped by image, then category (file order kept)
        public int[] ImageGtStart;     // I + 1

        // Per image, from the first pass.
        public int[] ImageCellCount, ImageSlotCount;
        public int[] ImageCellStart, ImageSlotStart;   // I + 1

        // Per (image, category) cell with any GT or detection, in image-then-category order.
        public int CellCount;
        public int[] CellK, CellSlotStart, CellD;
        public int[] CellNpig;         // cell * A + a: GT not ignored in area range a

        // Per kept detection (slot): the top MaxDetLast of each cell, by score.
        public double[] SlotScore;
        public int[] SlotRank;         // position of the detection in its cell (0 = highest score)
        public ushort[] SlotMatched;   // slot * A + a: bit t set when matched to a GT with a non-zero id (dtm != 0)
        public ushort[] SlotIgnored;   // slot * A + a: bit t set when dtIgnore

        // Category index -> its cells, in image order.
        public int[] CatCells, CatCellStart;

        // accumulate() output, -1 where absent: pycocotools' precision [T,R,K,A,M] and recall [T,K,A,M]. Precision is kept
        // only for the maxDets that summarize() reads (PrecisionM), stored [K,A,PrecisionM,T,R] in a pooled buffer so
        // each (k, a, m, t) writes one contiguous run; recall is stored [K,A,M,T].
        public double[] Precision, Recall;
        public int[] PrecisionSlot;    // per m: index among the stored maxDets, or -1
        public int PrecisionM;
        public bool KeepPrecisionRecall;   // store precision for every maxDets, and scores (same layout as Precision)
        public double[] Scores;

        public int PrecisionIndex(int t, int r, int k, int a, int m) => (((k * A + a) * PrecisionM + PrecisionSlot[m]) * T + t) * R + r;
        public int RecallIndex(int t, int k, int a, int m) => ((k * A + a) * M + m) * T + t;
    }

    /// <summary>Detections of one image: category ascending, then score descending (stable).</summary>
    internal struct DetectionOrder : IIndexOrder
    {
        public int[] K;
        public double[] Score;

        public bool Before(int a, int b)
        {
            int ka = K[a], kb = K[b];
            if (ka != kb) return ka < kb;
            return StableSort.HigherScore(Score[a], Score[b]);
        }
    }

    /// <summary>Annotations of one image by category (stable, so file order within a category).</summary>
    internal struct CategoryOrder : IIndexOrder
    {
        public int[] K;
        public bool Before(int a, int b) => K[a] < K[b];
    }

    /// <summary>Slots by score descending (stable): np.argsort(-dtScores, kind='mergesort').</summary>
    internal struct SlotScoreOrder : IIndexOrder
    {
        public double[] Score;
        public bool Before(int a, int b) => StableSort.HigherScore(Score[a], Score[b]);
    }
}
