# -ImageInfo and -GroundTruth are resolved before any input is read: a mistyped path fails at once, with the
# cmdlet's own error, instead of after a long read. The upstream script block counts what it sends; the
# pipeline begins every command before the first one sends anything, so a check at the start sees a count of 0.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-ModuleUnderTest
    $script:Folder = New-TestFolder
    $script:Missing = Join-Path $Folder 'missing.json'
    $script:Gt = Join-Path $Folder 'gt.json'
    Copy-Item (Join-Path $DataRoot 'case-a/gt.json') $Gt
    $script:Detections = @(Import-Detection -LiteralPath (Join-Path $DataRoot 'case-a/model1.json') | Select-Object -First 3)

    # Runs "upstream | <command>" and returns the error and how many detections the upstream sent.
    function Invoke-Counted([string] $Command, [hashtable] $Parameters) {
        $script:sent = 0
        $upstream = { foreach ($d in $script:Detections) { $script:sent++; $d } }
        $caught = $null
        try { & $upstream | & $Command @Parameters } catch { $caught = $_ }
        [pscustomobject]@{ Error = $caught; Sent = $script:sent }
    }
}

AfterAll { Remove-Item -LiteralPath $script:Folder -Recurse -Force -ErrorAction SilentlyContinue }

Describe 'A missing -ImageInfo or -GroundTruth file fails before any input is read' {
    It 'Merge-Detection -ImageInfo' {
        $r = Invoke-Counted Merge-Detection @{ ImageInfo = $script:Missing }
        $r.Error.FullyQualifiedErrorId | Should -BeLike 'ImageInfoNotFound,*'
        $r.Sent | Should -Be 0
    }

    It 'Measure-Detection -GroundTruth' {
        $r = Invoke-Counted Measure-Detection @{ GroundTruth = $script:Missing }
        $r.Error.FullyQualifiedErrorId | Should -BeLike 'GroundTruthNotFound,*'
        $r.Sent | Should -Be 0
    }

    It 'Optimize-Fusion -GroundTruth' {
        $r = Invoke-Counted Optimize-Fusion @{ GroundTruth = $script:Missing; MaxTrials = 1 }
        $r.Error.FullyQualifiedErrorId | Should -BeLike 'GroundTruthNotFound,*'
        $r.Sent | Should -Be 0
    }

    It 'Optimize-Fusion -ImageInfo' {
        $r = Invoke-Counted Optimize-Fusion @{ GroundTruth = $script:Gt; ImageInfo = $script:Missing; MaxTrials = 1 }
        $r.Error.FullyQualifiedErrorId | Should -BeLike 'ImageInfoNotFound,*'
        $r.Sent | Should -Be 0
    }

    It 'Export-Submission -ImageInfo' {
        $r = Invoke-Counted Export-Submission @{ LiteralPath = (Join-Path $script:Folder 'out.json'); ImageInfo = $script:Missing }
        $r.Error.FullyQualifiedErrorId | Should -BeLike 'ImageInfoNotFound,*'
        $r.Sent | Should -Be 0
        Join-Path $script:Folder 'out.json' | Should -Not -Exist
    }

    It 'Compare-Detection -GroundTruth' {
        $r = Invoke-Counted Compare-Detection @{ GroundTruth = $script:Missing }
        $r.Error.FullyQualifiedErrorId | Should -BeLike 'GroundTruthNotFound,*'
        $r.Sent | Should -Be 0
    }

    It 'Export-DetectionImage -GroundTruth and -ImageInfo' {
        foreach ($parameter in 'GroundTruth', 'ImageInfo') {
            $pictures = Join-Path $script:Folder "pictures-$parameter"
            $r = Invoke-Counted Export-DetectionImage @{ Path = $pictures; $parameter = $script:Missing }
            $r.Error.FullyQualifiedErrorId | Should -BeLike "$($parameter)NotFound,*"
            $r.Sent | Should -Be 0
        }
    }

    It 'Import-Detection -Format Yolo -ImageInfo' {
        $script:sent = 0
        $caught = $null
        try { & { $script:sent++; Join-Path $script:Folder 'labels' } | Import-Detection -Format Yolo -ImageInfo $script:Missing } catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -BeLike 'ImageInfoNotFound,*'
        $script:sent | Should -Be 0
    }

    It 'a -ImageInfo of objects that are not image records fails at once too (Merge-Detection)' {
        $r = Invoke-Counted Merge-Detection @{ ImageInfo = [pscustomobject]@{ Name = 'not an image' } }
        $r.Error | Should -Not -BeNullOrEmpty
        $r.Error.Exception | Should -Not -BeOfType [System.Management.Automation.ParameterBindingException]
        $r.Sent | Should -Be 0
    }
}
