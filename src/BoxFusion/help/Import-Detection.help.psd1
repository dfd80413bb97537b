# Help for Import-Detection. Turned into MAML by New-MamlHelp.ps1; see that script for the format.
@{
    Synopsis    = 'Reads COCO results files (or YOLO predictions) as BoxFusion.Detection objects.'

    Description = @'
Import-Detection streams the detections of one or more files into the pipeline as typed BoxFusion.Detection objects, ready for Merge-Detection, Measure-Detection or Export-Submission. Memory stays flat whatever the file size.

A COCO results file is a JSON list of records {"image_id", "category_id", "bbox": [x, y, width, height], "score"}, as written by mmdetection (bbox.json), Detectron2, YOLO exports (--save-json) and pycocotools. Numeric image ids stay numbers; string ids ("7.jpg") stay strings.

Each file is one model, named by -Model or by default after the file's base name without mmdetection's .bbox, .segm or .proposal (yolox.json and yolox.bbox.json are both the model 'yolox'). When files of one command share that name, as real detectors write them (mmdetection work_dirs/yolox/results.bbox.json, YOLO runs/val/exp2/predictions.json, detectron2 out_a/inference/coco_instances_results.json), each is named by the nearest folder that tells them apart: yolox, exp2, out_a. Files that still cannot be told apart stop the command before anything is read, with the error DuplicateModelName listing them: name them with -Model. Model names ignore case, as PowerShell does (Det and det are one model). Merge-Detection tells models apart by that name.

Because a file's default name depends on the other files, Import-Detection collects the paths it is given (also one by one from Get-ChildItem) and reads the files when the paths end; each file's records are then streamed as it is read.

A record that cannot be used (a missing field, a box that is not 4 numbers, a negative size, a non-finite number, a score, coordinate or size beyond 1e9) is skipped; each kind of problem is reported once per file as an error with the count and the first such record. A file that is not a results list at all (not JSON, truncated, a ground-truth file) is one error naming the byte and record where it went wrong; the records before that point are still passed on.

With -Format Yolo, Import-Detection reads Ultralytics prediction files instead: one .txt file per image, lines "class cx cy w h conf" relative to the image size. -ImageInfo gives the image sizes, the image of each file (000123.txt is the image whose file_name is 000123.*, in any folder and case, when only one image has that name; see about_BoxFusion, IMAGE IDS) and the category id of each class index.
'@

    Parameters  = @{
        Path        = @{
            Description = 'The files to read. Wildcards are expanded (a wildcard that matches nothing is an error, PathNotFound); a missing file is an error (FileNotFound) and the other files are still read. Also takes paths from the pipeline, as strings or Get-ChildItem output.'
            Default     = 'None'
        }
        LiteralPath = @{
            Description = 'Like -Path, but each name is used exactly as written: wildcard characters such as [ ] are not expanded. Get-ChildItem output binds to it by its PSPath property.'
            Default     = 'None'
        }
        Model       = @{
            Description = @'
The model names: one per file, in the order the files are read, or a single name for all of them (for example to treat test-time augmentations as one model). With more than one name, a number of names different from the number of files found (a missing file included) is an error, ModelCountMismatch, so that no file gets another file's name; two names equal but for case are an error, DuplicateModelName. -Model is named only: Import-Detection a.json b.json (comma forgotten) is an error, not a model named b.json.

With -Format Yolo, all files of one call are one model, so -Model takes one name (several are ModelCountMismatch); the default name is the run folder of an Ultralytics run (runs/detect/NAME/labels/*.txt gives NAME).
'@
            Default     = 'Each file''s base name without .bbox, .segm or .proposal; files sharing it are named by the nearest folder that differs'
        }
        Format      = @{
            Description = 'The file format: Coco, a COCO results list per file (one model per file); or Yolo, Ultralytics txt predictions (one file per image, saved with save_txt and save_conf), which needs -ImageInfo. With Yolo, -Path and -LiteralPath may also name folders: a folder gives its *.txt files, or those of its labels folder (runs/detect/exp gives runs/detect/exp/labels/*.txt); a folder without any is an error, NoPredictionFiles.'
            Default     = 'Coco'
        }
        ImageInfo   = @{
            Description = 'With -Format Yolo (required there): the COCO annotations file (a path or FileInfo), an object read from one, or its image records, giving each image''s id, file_name, width and height, and, from its categories in file order, the category id of each YOLO class index. Without categories, the class index is the category id. -Format Coco does not use it.'
            Default     = 'None'
        }
    }

    Inputs      = @(
        @{ Type = 'System.String'; Description = 'A path (or wildcard pattern) to read, bound to -Path.' }
        @{ Type = 'System.IO.FileInfo'; Description = 'Files from Get-ChildItem or Get-Item, bound to -LiteralPath by their PSPath property.' }
    )
    Outputs     = @(
        @{ Type = 'BoxFusion.Detection'; Description = 'One detection per usable record: ImageId, CategoryId, Score, X, Y, Width, Height (pixels), Model; MergedCount 0 and no SourceModels.' }
    )

    Notes       = @'
Scores above 1 are kept, with a warning per file: they are what WBF with unequal weights writes, and a results file may hold them legitimately.

Errors you can catch by id (with -ErrorAction Stop they end the command): FileNotFound, PathNotFound, PathIsNotAFile (a folder), NotARegularFile (a named pipe, socket or device, refused before it is opened: reading one could wait forever), NotAFileSystemPath, ResultFile<Problem> (FileEmpty, NotJson, Truncated, NotAList, RecordNotAnObject, NonFiniteNumber, TrailingContent, RecordTooLarge, NestedTooDeep), SkippedRecords<Problem> (MissingField, WrongType, BadBox, NonFiniteNumber, NegativeSize, ScoreOutOfRange, DuplicateKey, OutOfRange: a number beyond 1e9), ModelCountMismatch, DuplicateModelName (both terminating); with -Format Yolo also YoloNeedsImageInfo, NoPredictionFiles, ImageNotInImageInfo, AmbiguousImageId (a file name that fits several images, such as IMG.jpg and img.png for img.txt) and SkippedLines<Problem>.

The alias Import-Detections also runs this cmdlet.
'@

    Examples    = @(
        @{
            Title   = 'Read three models'' results'
            Code    = @'
cd tests/data/sample
Import-Detection yolox.json, cascade.json, detr.json | Group-Object Model -NoElement
'@
            Remarks = @'
Each file is one model named after the file. The sample gives:

    Count Name
    ----- ----
     5855 yolox
     5855 cascade
     5895 detr
'@
        }
        @{
            Title   = 'Read the results of mmdetection runs'
            Code    = @'
Get-ChildItem ./work_dirs -Recurse -Filter results.bbox.json | Import-Detection |
    Merge-Detection -Method WBF
'@
            Remarks = 'Get-ChildItem output binds to -LiteralPath. Every run wrote results.bbox.json, so each model is named after its run folder (work_dirs/yolox/results.bbox.json is the model yolox). -Model frcnn, retina, yolo would give one name per file instead, in the order the files are read.'
        }
        @{
            Title   = 'Import YOLO predictions'
            Code    = @'
Import-Detection -Path runs/detect/yolov8x/labels/*.txt -Format Yolo -ImageInfo instances_val.json
'@
            Remarks = 'Reads the txt files of an Ultralytics run (predict with save_txt=True save_conf=True) as the model yolov8x. Each file belongs to the image whose file_name has the same base name; boxes become pixels with that image''s size, and class index i becomes the id of the i-th category of instances_val.json.'
        }
        @{
            Title   = 'Stop at the first bad record'
            Code    = @'
try {
    Import-Detection submission.json -ErrorAction Stop | Measure-Object
}
catch {
    "$($_.FullyQualifiedErrorId): $($_.Exception.Message)"
}
'@
            Remarks = 'By default skipped records are reported and the rest of the file is read. With -ErrorAction Stop the first problem ends the command, and its error id (for example SkippedRecordsMissingField,BoxFusion.Commands.ImportDetectionCommand) says what went wrong.'
        }
    )

    Links       = @(
        'about_BoxFusion'
        'Merge-Detection'
        'New-Detection'
        'Export-Submission'
        @{ Text = 'COCO results format'; Uri = 'https://cocodataset.org/#format-results' }
    )
}
