# Help for Measure-Detection. Turned into MAML by New-MamlHelp.ps1; see that script for the format.
@{
    Synopsis    = 'Scores detections with COCO mAP (boxes, or instance masks with -IouType Segm) against a ground truth, exactly as pycocotools does.'

    Description = @'
Measure-Detection evaluates detections against a COCO annotations file the way pycocotools' COCOeval does (iouType 'bbox'), and returns the 12 summary numbers of COCOeval.summarize(): AP (mAP at IoU .50:.95), AP50, AP75, APSmall, APMedium, APLarge, AR1, AR10, AR100, ARSmall, ARMedium and ARLarge. The values equal pycocotools' to within 1e-12, crowd annotations and all.

With -IouType Segm the instance masks are compared instead of the boxes (pycocotools' iouType 'segm'): the ground truth's polygons are rasterised exactly as pycocotools' frPyObjects does, crowd regions are read as run lengths, and a detection overlapping a crowd region is scored by intersection over the detection's area. A detection without a mask is scored with its box as the mask, as pycocotools does for box results (a warning says how many). A mask whose size differs from its image's matches nothing (error MaskSizeMismatch, with the count). As in pycocotools, the size ranges (small, medium, large) measure detections by their box area, or by their mask area when the results have no boxes.

By default all the input is scored together, as one result named '(all)'; when the input holds several models, a warning says so and suggests -GroupBy Model. With -GroupBy Model, each model is scored on its own, in the order models first appear: pipe in the output of Import-Detection to compare the models, or of several Merge-Detection runs (fused detections carry the method name as their model) to compare methods.

Image ids are matched against the ground truth's images: numbers by id, text by file_name ("000123.jpg"; else the name without folder or extension when only one image has it), never by reading text as a number (about_BoxFusion, IMAGE IDS). A name that fits several images is an error (AmbiguousImageId), and that group is not scored. A detection of an image the ground truth does not have is an error (ImageNotInGroundTruth), and that group is not scored, because a challenge server would reject the submission. Categories the ground truth does not have are ignored, as pycocotools does. A group with no detections scores 0 for every category that has ground truth.

Each result also carries the arrays behind the numbers in its PrecisionRecall property: pycocotools' accumulate() output (COCOeval.eval), equal to it to within 1e-12. Precision and Scores are indexed [T, R, K, A, M] (IoU threshold, recall threshold, category, area range, max detections) and Recall [T, K, A, M]; IouThresholds, RecallThresholds, CategoryIds, CategoryNames, AreaRanges and MaxDetections give the values of each axis, and -1 marks a setting with nothing to measure. GetCurve(iou, categoryId, area) and GetAveragePrecision(...) average them as COCO does; Export-PrecisionRecallChart draws them.

The three arrays are not .NET arrays but objects you index the same way ($pr.Precision[t, r, k, a, m]) that show their Shape; ToArray() gives a copy as a double[,,,,] (double[,,,] for Recall). This keeps them out of what serializers write: Export-Clixml or ConvertTo-Json of a result writes its statistics and the arrays' shapes (about 13 KB and 5 KB for 80 categories), not their 2 million numbers (about 50 MB). A result read back with Import-Clixml or ConvertFrom-Json therefore has no arrays to chart; keep the result objects (or measure again) for Export-PrecisionRecallChart, or save $pr.Precision.ToArray() yourself.

Evaluation runs on all processor cores; the numbers do not depend on it.
'@

    Parameters  = @{
        GroundTruth   = @{
            Description = @'
The COCO annotations file to score against (a path or a FileInfo), with its images, annotations and categories, such as instances_val2017.json.

Give the file itself: an object made from it (Get-Content | ConvertFrom-Json) keeps only its images, so every statistic comes out as -1.
'@
            Default     = 'None'
        }
        InputObject   = @{
            Description = 'The detections to score, from Import-Detection, Merge-Detection or New-Detection. $null is ignored.'
            Default     = 'None'
        }
        Path          = @{
            Description = 'COCO results files to score, read directly instead of from the pipeline, each as a model named as Import-Detection names them, or by -Model. Wildcards are expanded. The files are scored together unless you add -GroupBy Model.'
            Default     = 'None'
        }
        LiteralPath   = @{
            Description = 'Like -Path, but each name is used exactly as written: wildcard characters are not expanded.'
            Default     = 'None'
        }
        Model         = @{
            Description = 'The model names of the -Path or -LiteralPath files, as Import-Detection -Model: one per file, in the order the files are read, or one for all. With -GroupBy Model, these are the names of the result rows.'
            Default     = 'As Import-Detection: the base name without .bbox, .segm or .proposal, or the nearest folder that differs'
        }
        GroupBy       = @{
            Description = 'None scores all detections together, as one result named (all). Model scores each model (the Model property of the detections) on its own, one result per model, named after it.'
            Default     = 'None'
        }
        PerCategory   = @{
            Description = 'Write one row per category instead of one summary per group: Model (the group, as the Name of the summary), CategoryId, Name (the category''s name in the ground truth), AP, AP50 and GtCount (the ground-truth boxes that count). AP and AP50 are -1 for a category without ground truth; the mean AP of the other categories is the AP of the summary, as in pycocotools. With -GroupBy Model there are rows for each model.'
            Default     = 'False'
        }
        IouType       = @{
            Description = 'The kind of overlap to evaluate, as pycocotools'' iouType: Bbox compares boxes; Segm compares instance masks (Detection.Mask, read from the results'' segmentation) with the ground truth''s segmentations, which are then read from the annotations file.'
            Default     = 'Bbox'
        }
        MaxDetections = @{
            Description = @'
pycocotools' maxDets: the three numbers of detections per image (the best by score) at which recall is measured. AR1, AR10 and AR100 report recall at the first, second and third; APSmall to APLarge, AP50 and AP75 use the third.

As in pycocotools, AP (the first statistic) is always computed at 100 detections per image, so it is -1 when 100 is not one of the three.
'@
            Default     = '1, 10, 100'
            AcceptedValues = 'three whole numbers, each 1 or more'
        }
    }

    Inputs      = @(
        @{ Type = 'BoxFusion.Detection'; Description = 'The detections to score.' }
    )
    Outputs     = @(
        @{ Type = 'BoxFusion.Evaluation.EvaluationResult'; Description = 'One result per group: Name (the model, or (all)), GroundTruth (the file), Stats (the 12 numbers in pycocotools'' order), AP, AP50, AP75, APSmall, APMedium, APLarge, AR1, AR10, AR100, ARSmall, ARMedium, ARLarge (-1 where there was nothing to measure), PrecisionRecall (pycocotools'' precision, recall and scores arrays), ImageCount and DetectionCount. It shows as a table whose short headers are also names you can use: APs, APm, APl (APSmall, APMedium, APLarge) and Detections (DetectionCount). Export-Csv writes Stats as its 12 numbers.' }
        @{ Type = 'BoxFusion.Evaluation.CategoryResult'; Description = 'With -PerCategory: one row per category and group, with Model, CategoryId, Name, AP, AP50, GtCount and GroundTruth.' }
    )

    Notes       = @'
AP is the COCO mAP@[.50:.95], the number challenge leaderboards rank by; "AP 0.368" is pycocotools' "Average Precision (AP) @[ IoU=0.50:0.95 | area= all | maxDets=100 ] = 0.368".

Measure-Detection keeps the input until it ends, like Merge-Detection. Errors you can catch by id: ImageNotInGroundTruth, AmbiguousImageId, GroundTruthNotFound, GroundTruthInvalid, InvalidDetection (a piped detection with a NaN, infinite or negative score or size, or a number beyond 1e9: left out), PathIsNotAFile (a folder), NotARegularFile (a named pipe, socket or device), NotAFileSystemPath, and with -Path the file errors of Import-Detection. With -IouType Segm: MaskSizeMismatch, and GroundTruthMask<Problem> for an annotation without a usable mask (GroundTruthMaskMissing, GroundTruthMaskSizeMismatch, GroundTruthMaskPolygonOddCoordinates, GroundTruthMaskPolygonTooFewPoints, GroundTruthMaskCountsMismatch, GroundTruthMaskBadString, GroundTruthMaskBadSize), naming it by its position and id.

Ground truth that pycocotools reads in its own way is read the same way: annotations that share an id are each evaluated as the last annotation of that id (with a warning), and an iscrowd value that is not 0 or 1 ignores the annotation when it is non-zero but makes it a crowd region only when its integer part is non-zero (0.5: ignored, yet matched like an ordinary box); an iscrowd whose integer part is outside 0 to 255 is an error (GroundTruthInvalid).

The alias Measure-Detections also runs this cmdlet.
'@

    Examples    = @(
        @{
            Title   = 'Score each model, then the fused result'
            Code    = @'
cd tests/data/sample
$detections = Import-Detection yolox.json, cascade.json, detr.json
$detections | Measure-Detection -GroundTruth gt.json -GroupBy Model
$detections | Merge-Detection -ImageInfo gt.json | Measure-Detection -GroundTruth gt.json
'@
            Remarks = @'
The first command gives one row per model; the second scores the WBF fusion of all three, which beats the best single model on the sample. The first row of the first table is:

    Name               AP   AP50   AP75    APs    APm    APl  AR100 Detections
    ----               --   ----   ----    ---    ---    ---  ----- ----------
    yolox           0.368  0.642  0.383  0.265  0.431  0.471  0.497       5855
'@
        }
        @{
            Title   = 'Score a results file and see the weakest categories'
            Code    = @'
$categories = Measure-Detection -GroundTruth instances_val2017.json -Path bbox.json -PerCategory
$categories | Sort-Object AP | Select-Object -First 5
'@
            Remarks = 'Reads bbox.json directly and writes one row per category: its id and name from the ground truth, AP, AP50 and ground-truth count. Sorting by AP puts the weakest categories first; Export-Csv saves the table.'
        }
        @{
            Title   = 'Score instance masks'
            Code    = @'
Measure-Detection -IouType Segm -GroundTruth instances_val2017.json -Path results.segm.json
'@
            Remarks = 'Reads the masks of an mmdetection or detectron2 segm results file and scores them as pycocotools'' COCOeval with iouType ''segm'' does.'
        }
        @{
            Title   = 'Compare fusion methods in one table'
            Code    = @'
$detections = Import-Detection yolox.json, cascade.json, detr.json
'WBF', 'NMS', 'SoftNMS', 'NMW' | ForEach-Object {
    $detections | Merge-Detection -Method $_ -ImageInfo gt.json -WarningAction SilentlyContinue
} | Measure-Detection -GroundTruth gt.json -GroupBy Model
'@
            Remarks = 'Fused detections carry the method name as their Model, so -GroupBy Model gives one row per method: WBF, NMS, SoftNMS and NMW.'
        }
        @{
            Title   = 'Read the precision-recall arrays'
            Code    = @'
$result = Measure-Detection -GroundTruth gt.json -Path yolox.json
$pr = $result.PrecisionRecall
$pr.Precision[0, 50, 0, 0, 2]          # IoU .50, recall .50, first category, area all, 100 detections
$pr.Precision.Shape                    # 10, 101, K, 4, 3
$pr.GetCurve(0.5)                      # precision at recall 0, .01, ..., 1 at IoU .50, mean over categories
$array = $pr.Recall.ToArray()          # a double[,,,] copy
'@
            Remarks = 'The arrays are pycocotools'' eval[''precision''], eval[''recall''] and eval[''scores''], in the same axis order. Export-Clixml and ConvertTo-Json of a result write the arrays'' shapes, not their numbers.'
        }
        @{
            Title   = 'Export the statistics'
            Code    = @'
Get-ChildItem *.json -Exclude gt.json | Import-Detection | Measure-Detection gt.json -GroupBy Model |
    Select-Object Name, AP, AP50, AP75, APs, AR100 | Export-Csv scores.csv
'@
            Remarks = 'Scores every results file of the folder but the ground truth, one row per model (file); -GroundTruth is the first positional parameter. The table''s short headers (APs, APm, APl, Detections) can be selected by name; without Select-Object, Export-Csv writes every statistic and Stats as text.'
        }
    )

    Links       = @(
        'about_BoxFusion'
        'Merge-Detection'
        'Optimize-Fusion'
        @{ Text = 'COCO detection evaluation'; Uri = 'https://cocodataset.org/#detection-eval' }
    )
}
